package dev.aimnext.jobs.bench;

import dev.aimnext.jobs.demo.DemoProducer;
import dev.aimnext.jobs.demo.DemoTraffic;
import dev.aimnext.jobs.guardrails.GuardrailJob;
import dev.aimnext.jobs.guardrails.GuardrailKafka;
import dev.aimnext.jobs.guardrails.GuardrailOptions;
import dev.aimnext.jobs.guardrails.GuardrailSetup;
import dev.aimnext.jobs.local.EmbeddedKafkaBroker;
import dev.aimnext.jobs.local.LocalFiles;
import dev.aimnext.jobs.local.PortCheck;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * End-to-end latency of the guardrail job on the local stack: produce to {@code aim.requests}, read
 * from {@code aim.requests.allowed}; the producer and the reader share this JVM, so latency is the
 * reader's {@code nanoTime} minus the send's, matched by request id. Runs the same job in each mode,
 * alternating, against the same broker, after one unreported warm-up run (JIT, broker page cache,
 * model sessions), and prints a table; the difference to the passthrough mode is the latency the
 * guardrails add. Modes: {@code off} (passthrough: no guardrail), {@code pii} (the PII guardrail),
 * {@code full} (the default policy: PII + prompt injection + toxicity on the default pack).
 */
public final class LatencyBenchmark {

    private final double rate;
    private final Duration warmup;
    private final Duration measure;
    private final int parallelism;
    private final PrintStream out;
    private final List<String> modes;
    private final Map<String, String> extraConfig;

    public LatencyBenchmark(double rate, Duration warmup, Duration measure, int parallelism, PrintStream out) {
        this(rate, warmup, measure, parallelism, out, List.of("off", "pii"), Map.of());
    }

    public LatencyBenchmark(double rate, Duration warmup, Duration measure, int parallelism, PrintStream out,
                            List<String> modes, Map<String, String> extraConfig) {
        for (String m : modes) {
            if (!List.of("off", "pii", "full").contains(m)) {
                throw new IllegalArgumentException("unknown benchmark mode '" + m + "'; expected off, pii or full");
            }
        }
        if (modes.isEmpty()) {
            throw new IllegalArgumentException("--modes needs at least one of off, pii, full");
        }
        this.modes = List.copyOf(modes);
        this.extraConfig = Map.copyOf(extraConfig);
        this.rate = rate;
        this.warmup = warmup;
        this.measure = measure;
        this.parallelism = parallelism;
        this.out = out;
    }

    /** {@code stageMicros}: time inside the guardrail stage per request, from the verdicts. */
    record Result(String key, String mode, long sent, long received, Histogram micros, Histogram stageMicros,
                  double seconds) {}

    public void run() throws Exception {
        Path dir = Files.createTempDirectory("aim-bench-kafka");
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir, PortCheck.freePort(), PortCheck.freePort())) {
            out.printf("rate %.0f req/s, warm-up %d s, measured %d s per mode, parallelism %d, at-least-once, modes %s%s%n",
                    rate, warmup.toSeconds(), measure.toSeconds(), parallelism, modes,
                    extraConfig.isEmpty() ? "" : ", settings " + new java.util.TreeMap<>(extraConfig));
            runMode(broker, "warmup", modes.get(modes.size() - 1));
            List<Result> results = new ArrayList<>();
            for (int round = 1; round <= 2; round++) {
                for (String mode : modes) {
                    results.add(runMode(broker, mode + "-" + round, mode));
                }
            }
            printTable(results);
        } finally {
            // Five runs at 1,000 req/s would otherwise leave their broker data behind.
            LocalFiles.deleteRecursively(dir);
        }
    }

    private static String label(String mode) {
        return switch (mode) {
            case "off" -> "passthrough";
            case "pii" -> "PII";
            default -> "PII + prompt injection + toxicity";
        };
    }

    private GuardrailSetup setup(String mode, Configuration config) {
        return switch (mode) {
            case "off" -> GuardrailSetup.piiOnly(
                    PiiPolicyParser.parse("version: bench-off\npii:\n  enabled: false\n", "guardrails-off"));
            case "pii" -> GuardrailSetup.piiOnly(PiiPolicyParser.defaultPolicy());
            default -> GuardrailSetup.fromConfiguration(config); // the default policy with its model guardrails
        };
    }

    private Result runMode(EmbeddedKafkaBroker broker, String run, String mode) throws Exception {
        String prefix = "bench-" + run;
        String requests = prefix + ".requests";
        String allowed = prefix + ".allowed";
        broker.createTopics(List.of(
                new NewTopic(requests, parallelism, (short) 1), new NewTopic(allowed, parallelism, (short) 1),
                new NewTopic(prefix + ".verdicts", parallelism, (short) 1), new NewTopic(prefix + ".dead", 1, (short) 1)));
        Configuration config = Configuration.fromMap(extraConfig);
        config.set(GuardrailOptions.BOOTSTRAP_SERVERS, broker.bootstrapServers());
        config.set(GuardrailOptions.REQUESTS_TOPIC, requests);
        config.set(GuardrailOptions.ALLOWED_TOPIC, allowed);
        config.set(GuardrailOptions.VERDICTS_TOPIC, prefix + ".verdicts");
        config.set(GuardrailOptions.DEADLETTER_TOPIC, prefix + ".dead");
        config.set(GuardrailOptions.GROUP_ID, prefix);
        GuardrailKafka kafka = new GuardrailKafka(config);
        GuardrailJob job = new GuardrailJob(kafka.requestSource(), kafka.allowedSink(), kafka.verdictSink(),
                kafka.deadLetterSink(), setup(mode, config));

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
        double seconds = measure.toNanos() / 1e9;
        Thread.sleep(2_000); // let the last records arrive
        running.set(false);
        reader.join();
        client.cancel().get(30, TimeUnit.SECONDS);
        return new Result(mode, label(mode) + " (run " + run.substring(run.length() - 1) + ")", sent, received[0],
                micros, stageMicros, seconds);
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
        out.println("| mode | sent (measured) | received | received/s | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms"
                + " | stage p50 ms | stage p99 ms |");
        out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (Result r : results) {
            out.printf("| %s | %d | %d | %.0f | %.2f | %.2f | %.2f | %.2f | %.2f | %.3f | %.3f |%n", r.mode(), r.sent(),
                    r.received(), r.received() / r.seconds(), ms(r.micros(), 50), ms(r.micros(), 90),
                    ms(r.micros(), 99), ms(r.micros(), 99.9), r.micros().getMaxValue() / 1000.0,
                    ms(r.stageMicros(), 50), ms(r.stageMicros(), 99));
        }
        Map<String, Histogram> merged = new java.util.LinkedHashMap<>();
        for (Result r : results) {
            merged.computeIfAbsent(r.key(), k -> new Histogram(60_000_000L, 3)).add(r.micros());
        }
        out.println();
        Histogram base = merged.get("off");
        merged.forEach((mode, h) -> out.printf("all runs merged, %s: p50 %.2f ms, p99 %.2f ms%s%n", label(mode),
                ms(h, 50), ms(h, 99), base == null || mode.equals("off") ? ""
                        : String.format(java.util.Locale.ROOT, " (added over passthrough: p50 %+.2f ms, p99 %+.2f ms)",
                                ms(h, 50) - ms(base, 50), ms(h, 99) - ms(base, 99))));
    }

    private static double ms(Histogram h, double percentile) {
        return h.getValueAtPercentile(percentile) / 1000.0;
    }
}
