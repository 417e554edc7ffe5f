package dev.aimnext.jobs.bench;

import dev.aimnext.jobs.demo.DemoProducer;
import dev.aimnext.jobs.demo.DemoTraffic;
import dev.aimnext.jobs.guardrails.GuardrailJob;
import dev.aimnext.jobs.guardrails.GuardrailKafka;
import dev.aimnext.jobs.guardrails.GuardrailOptions;
import dev.aimnext.jobs.local.EmbeddedKafkaBroker;
import dev.aimnext.jobs.local.PortCheck;
import dev.aimnext.operators.guardrails.pii.policy.PiiPolicy;
import dev.aimnext.operators.guardrails.pii.policy.PiiPolicyParser;

import org.HdrHistogram.Histogram;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * End-to-end latency of the guardrail job on the local stack: produce to {@code aim.requests}, read
 * from {@code aim.requests.allowed}, latency = read time - record timestamp (the producer's create
 * time, which the job's sink carries over). Runs the same job with the PII guardrail off and on,
 * against the same broker in the same process, and prints a table; the difference is the latency
 * the guardrail adds.
 */
public final class LatencyBenchmark {

    private final double rate;
    private final Duration warmup;
    private final Duration measure;
    private final int parallelism;
    private final PrintStream out;

    public LatencyBenchmark(double rate, Duration warmup, Duration measure, int parallelism, PrintStream out) {
        this.rate = rate;
        this.warmup = warmup;
        this.measure = measure;
        this.parallelism = parallelism;
        this.out = out;
    }

    record Result(String mode, long sent, long received, Histogram micros) {}

    public void run() throws Exception {
        Path dir = Files.createTempDirectory("aim-bench-kafka");
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir, PortCheck.freePort(), PortCheck.freePort())) {
            PiiPolicy on = PiiPolicyParser.defaultPolicy();
            PiiPolicy off = PiiPolicyParser.parse("version: bench-off\npii:\n  enabled: false\n", "guardrails-off");
            out.printf("rate %.0f req/s, warm-up %d s, measured %d s per mode, parallelism %d, at-least-once%n",
                    rate, warmup.toSeconds(), measure.toSeconds(), parallelism);
            Result baseline = runMode(broker, "off", off);
            Result guarded = runMode(broker, "pii", on);
            Result baselineAgain = runMode(broker, "off2", off);
            printTable(List.of(baseline, guarded, baselineAgain));
        }
    }

    private Result runMode(EmbeddedKafkaBroker broker, String mode, PiiPolicy policy) throws Exception {
        String prefix = "bench-" + mode;
        String requests = prefix + ".requests";
        String allowed = prefix + ".allowed";
        broker.createTopics(List.of(
                new NewTopic(requests, parallelism, (short) 1), new NewTopic(allowed, parallelism, (short) 1),
                new NewTopic(prefix + ".verdicts", parallelism, (short) 1), new NewTopic(prefix + ".dead", 1, (short) 1)));
        Configuration config = new Configuration();
        config.set(GuardrailOptions.BOOTSTRAP_SERVERS, broker.bootstrapServers());
        config.set(GuardrailOptions.REQUESTS_TOPIC, requests);
        config.set(GuardrailOptions.ALLOWED_TOPIC, allowed);
        config.set(GuardrailOptions.VERDICTS_TOPIC, prefix + ".verdicts");
        config.set(GuardrailOptions.DEADLETTER_TOPIC, prefix + ".dead");
        config.set(GuardrailOptions.GROUP_ID, prefix);
        GuardrailKafka kafka = new GuardrailKafka(config);
        GuardrailJob job = new GuardrailJob(kafka.requestSource(), kafka.allowedSink(), kafka.verdictSink(),
                kafka.deadLetterSink(), policy);

        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(parallelism);
        env.enableCheckpointing(10_000);
        job.build(env);
        JobClient client = env.executeAsync(prefix);

        Histogram micros = new Histogram(60_000_000L, 3);
        AtomicBoolean measuring = new AtomicBoolean(false);
        AtomicBoolean running = new AtomicBoolean(true);
        long[] received = {0};
        Thread reader = new Thread(() -> {
            try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerConfig(broker, prefix))) {
                consumer.subscribe(List.of(allowed));
                while (running.get()) {
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                        long latency = (System.currentTimeMillis() - r.timestamp()) * 1000;
                        if (measuring.get()) {
                            micros.recordValue(Math.max(0, Math.min(latency, 60_000_000L)));
                            received[0]++;
                        }
                    }
                }
            }
        }, "bench-reader");
        reader.start();

        DemoTraffic traffic = new DemoTraffic(99, prefix);
        long sent = 0;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(DemoProducer.producerConfig(broker.bootstrapServers()))) {
            long interval = (long) (1_000_000_000L / rate);
            long start = System.nanoTime();
            long measureFrom = start + warmup.toNanos();
            long end = measureFrom + measure.toNanos();
            long next = start;
            while (System.nanoTime() < end) {
                DemoTraffic.Sample sample = traffic.next();
                if (sample.kind() == DemoTraffic.Kind.MALFORMED) {
                    continue; // dead letters never reach the allowed topic
                }
                boolean inWindow = System.nanoTime() >= measureFrom;
                measuring.set(inWindow);
                producer.send(DemoProducer.record(requests, sample));
                if (inWindow) {
                    sent++;
                }
                next += interval;
                long sleep = next - System.nanoTime();
                if (sleep > 0) {
                    TimeUnit.NANOSECONDS.sleep(sleep);
                }
            }
        }
        Thread.sleep(2_000); // let the last records arrive
        running.set(false);
        reader.join();
        client.cancel().get(30, TimeUnit.SECONDS);
        return new Result(mode.startsWith("off") ? "guardrails off" : "PII guardrail on", sent, received[0], micros);
    }

    private static Properties consumerConfig(EmbeddedKafkaBroker broker, String prefix) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, prefix + "-reader");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return props;
    }

    private void printTable(List<Result> results) {
        out.println();
        out.println("| mode | sent (measured) | received on allowed | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms |");
        out.println("|---|---:|---:|---:|---:|---:|---:|---:|");
        for (Result r : results) {
            out.printf("| %s | %d | %d | %.2f | %.2f | %.2f | %.2f | %.2f |%n", r.mode(), r.sent(), r.received(),
                    ms(r.micros(), 50), ms(r.micros(), 90), ms(r.micros(), 99), ms(r.micros(), 99.9),
                    r.micros().getMaxValue() / 1000.0);
        }
        Result off = results.get(0);
        Result on = results.get(1);
        out.printf("%nadded by the PII guardrail (on - first off run): p50 %+.2f ms, p99 %+.2f ms%n",
                ms(on.micros(), 50) - ms(off.micros(), 50), ms(on.micros(), 99) - ms(off.micros(), 99));
    }

    private static double ms(Histogram h, double percentile) {
        return h.getValueAtPercentile(percentile) / 1000.0;
    }
}
