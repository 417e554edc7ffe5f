package dev.aimnext.jobs.bench;

import dev.aimnext.jobs.demo.DemoProducer;
import dev.aimnext.jobs.demo.DemoTraffic;
import dev.aimnext.jobs.guardrails.GuardrailJob;
import dev.aimnext.jobs.guardrails.GuardrailKafka;
import dev.aimnext.jobs.guardrails.GuardrailOptions;
import dev.aimnext.jobs.local.EmbeddedKafkaBroker;
import dev.aimnext.jobs.local.LocalFiles;
import dev.aimnext.jobs.local.PortCheck;
import dev.aimnext.operators.guardrails.pii.policy.PiiPolicy;
import dev.aimnext.operators.guardrails.pii.policy.PiiPolicyParser;
import dev.aimnext.schemas.codec.AvroEventCodec;
import dev.aimnext.schemas.codec.EventDecodingException;
import dev.aimnext.schemas.event.GuardrailVerdict;

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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * End-to-end latency of the guardrail job on the local stack: produce to {@code aim.requests}, read
 * from {@code aim.requests.allowed}; the producer and the reader share this JVM, so latency is the
 * reader's {@code nanoTime} minus the send's, matched by request id. Runs the same job with the PII
 * guardrail off and on, alternating, against the same broker, after one unreported warm-up run
 * (JIT, broker page cache), and prints a table; the difference is the latency the guardrail adds.
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

    /** {@code stageMicros}: time inside the guardrail stage per request, from the verdicts. */
    record Result(String mode, long sent, long received, Histogram micros, Histogram stageMicros) {}

    public void run() throws Exception {
        Path dir = Files.createTempDirectory("aim-bench-kafka");
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir, PortCheck.freePort(), PortCheck.freePort())) {
            PiiPolicy on = PiiPolicyParser.defaultPolicy();
            PiiPolicy off = PiiPolicyParser.parse("version: bench-off\npii:\n  enabled: false\n", "guardrails-off");
            out.printf("rate %.0f req/s, warm-up %d s, measured %d s per mode, parallelism %d, at-least-once%n",
                    rate, warmup.toSeconds(), measure.toSeconds(), parallelism);
            runMode(broker, "warmup", on);
            List<Result> results = List.of(
                    runMode(broker, "off-1", off), runMode(broker, "pii-1", on),
                    runMode(broker, "off-2", off), runMode(broker, "pii-2", on));
            printTable(results);
        } finally {
            // Five runs at 1,000 req/s would otherwise leave their broker data behind.
            LocalFiles.deleteRecursively(dir);
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
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicBoolean measuring = new AtomicBoolean(false);
        Histogram stageMicros = new Histogram(60_000_000L, 3);
        AvroEventCodec<GuardrailVerdict> verdictCodec = AvroEventCodec.of(GuardrailVerdict.class);
        String verdicts = prefix + ".verdicts";
        long[] received = {0};
        Map<String, Long> sentAtNanos = new ConcurrentHashMap<>();
        Thread reader = new Thread(() -> {
            try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerConfig(broker, prefix))) {
                consumer.subscribe(List.of(allowed, verdicts));
                while (running.get()) {
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                        long now = System.nanoTime();
                        if (r.topic().equals(verdicts)) {
                            if (measuring.get()) {
                                stageMicros.recordValue(Math.min(verdictCodec.decode(r.value()).getLatencyMicros(), 60_000_000L));
                            }
                            continue;
                        }
                        Long sentAt = sentAtNanos.remove(new String(r.key(), StandardCharsets.UTF_8));
                        if (sentAt != null) {
                            micros.recordValue(Math.max(0, Math.min((now - sentAt) / 1000, 60_000_000L)));
                            received[0]++;
                        }
                    }
                }
            } catch (EventDecodingException e) {
                throw new IllegalStateException("the job wrote an unreadable verdict: " + e.getMessage(), e);
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
                if (inWindow) {
                    // Only requests sent inside the window are matched and measured.
                    sentAtNanos.put(sample.requestId(), System.nanoTime());
                    sent++;
                }
                producer.send(DemoProducer.record(requests, sample));
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
        String label = mode.startsWith("off") ? "guardrails off" : "PII guardrail on";
        return new Result(label + " (run " + mode.substring(mode.length() - 1) + ")", sent, received[0], micros,
                stageMicros);
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
        out.println("| mode | sent (measured) | received on allowed | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms"
                + " | stage p50 ms | stage p99 ms |");
        out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (Result r : results) {
            out.printf("| %s | %d | %d | %.2f | %.2f | %.2f | %.2f | %.2f | %.3f | %.3f |%n", r.mode(), r.sent(),
                    r.received(), ms(r.micros(), 50), ms(r.micros(), 90), ms(r.micros(), 99), ms(r.micros(), 99.9),
                    r.micros().getMaxValue() / 1000.0, ms(r.stageMicros(), 50), ms(r.stageMicros(), 99));
        }
        Histogram off = new Histogram(60_000_000L, 3);
        Histogram on = new Histogram(60_000_000L, 3);
        for (Result r : results) {
            (r.mode().startsWith("guardrails off") ? off : on).add(r.micros());
        }
        out.printf("%nall runs merged: off p50 %.2f / p99 %.2f ms, on p50 %.2f / p99 %.2f ms%n",
                ms(off, 50), ms(off, 99), ms(on, 50), ms(on, 99));
        out.printf("added by the PII guardrail: p50 %+.2f ms, p99 %+.2f ms%n",
                ms(on, 50) - ms(off, 50), ms(on, 99) - ms(off, 99));
    }

    private static double ms(Histogram h, double percentile) {
        return h.getValueAtPercentile(percentile) / 1000.0;
    }
}
