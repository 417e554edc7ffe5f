package dev.aimnext.jobs.qos;

import dev.aimnext.jobs.demo.DemoProducer;
import dev.aimnext.jobs.testing.JobRestClient;
import dev.aimnext.jobs.testing.KafkaBrokerExtension;
import dev.aimnext.jobs.testing.MiniClusterConfigs;
import dev.aimnext.jobs.testing.TopicReader;
import dev.aimnext.schemas.codec.AvroEventCodec;
import dev.aimnext.schemas.event.DeadLetter;
import dev.aimnext.schemas.event.GpuSample;
import dev.aimnext.schemas.event.QosWindow;
import dev.aimnext.schemas.event.RequestTelemetry;

import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectClusterRESTAddress;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The QoS job on a MiniCluster against a real KRaft broker: valid Avro and JSON telemetry becomes
 * QosWindow events on the metrics topic; malformed, out-of-range and late records become dead
 * letters with their reasons, and none of them restarts the job.
 */
class QosJobITCase {

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
                    .setNumberTaskManagers(1)
                    .setNumberSlotsPerTaskManager(2)
                    .setConfiguration(MiniClusterConfigs.fastMetrics())
                    .build());

    private static final Duration WAIT = Duration.ofSeconds(180);
    private static final long T0 = 1_764_288_000_000L;
    private static final AvroEventCodec<RequestTelemetry> TELEMETRY = AvroEventCodec.of(RequestTelemetry.class);

    @Test
    void validTelemetryBecomesWindowsAndBadRecordsDeadLetters(@InjectClusterRESTAddress URI rest) throws Exception {
        String p = "qos";
        String requests = p + ".aim.telemetry.requests";
        String gpu = p + ".aim.telemetry.gpu";
        String metrics = p + ".aim.qos.metrics";
        String deadTopic = p + ".aim.deadletter";
        KAFKA.createTopics(Map.of(requests, 2, gpu, 1, metrics, 1, deadTopic, 1));
        Path slo = Files.createTempFile("qos-slo", ".yaml");
        slo.toFile().deleteOnExit();
        Files.writeString(slo, "models:\n  llama:\n    ttft_p99_ms: 250\n    priority: high\n");

        Configuration config = new Configuration();
        config.set(QosOptions.BOOTSTRAP_SERVERS, KAFKA.bootstrapServers());
        config.set(QosOptions.TELEMETRY_REQUESTS_TOPIC, requests);
        config.set(QosOptions.TELEMETRY_GPU_TOPIC, gpu);
        config.set(QosOptions.QOS_METRICS_TOPIC, metrics);
        config.set(QosOptions.DEADLETTER_TOPIC, deadTopic);
        config.set(QosOptions.GROUP_ID, p + "-qos");
        config.set(QosOptions.SLO_FILE, slo.toString());
        // Topics here fall silent; do not let a quiet partition hold windows back for long.
        config.set(QosOptions.IDLE_TIMEOUT, Duration.ofSeconds(1));

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        env.enableCheckpointing(1_000);
        QosJob.fromConfiguration(config).build(env);
        JobClient job = env.executeAsync("qos-it");

        int valid = 300;
        List<ConsumerRecord<byte[], byte[]>> windowRecords;
        List<ConsumerRecord<byte[], byte[]>> deadRecords;
        long restarts;
        JobStatus status;
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(DemoProducer.producerConfig(KAFKA.bootstrapServers()))) {
            for (int i = 0; i < valid; i++) {
                // Ten seconds of traffic per partition pair, alternating encodings; every fifth slow.
                long at = T0 + i * 100L;
                double ttft = i % 5 == 0 ? 400 : 100;
                byte[] value = i % 2 == 0
                        ? TELEMETRY.encode(telemetry("r" + i, ttft, at))
                        : json("r" + i, String.valueOf(ttft), at, "").getBytes(StandardCharsets.UTF_8);
                producer.send(new ProducerRecord<>(requests, i % 2, null, value));
            }
            producer.send(new ProducerRecord<>(gpu, 0, null, AvroEventCodec.of(GpuSample.class).encode(
                    GpuSample.newBuilder().setNode("n").setGpuId("gpu0").setPartitionId("cpx0")
                            .setComputePartitionMode("CPX").setMemoryPartitionMode("NPS4")
                            .setVramUsedBytes(20L << 30).setVramLimitBytes(24L << 30).setProcesses(List.of())
                            .setSampledAtMs(T0).build())));
            List<byte[]> bad = List.of(
                    json("bad-1", "-5", T0, "").getBytes(StandardCharsets.UTF_8),            // negative latency
                    json("bad-2", "100", T0, ",\"ttft_ms\":3").getBytes(StandardCharsets.UTF_8), // unknown field
                    json("bad-3", "\"fast\"", T0, "").getBytes(StandardCharsets.UTF_8),      // wrong type
                    new byte[] {0x13, 0x37, (byte) 0xFF, 0x00, 0x42},                         // garbage
                    TELEMETRY.encode(RequestTelemetry.newBuilder(telemetry("bad-5", 100, T0)).setCompletionTokens(-1).build()));
            for (byte[] value : bad) {
                producer.send(new ProducerRecord<>(requests, 0, null, value));
            }
            producer.send(new ProducerRecord<>(gpu, 0, null,
                    "{\"node\":\"n\",\"gpuId\":\"gpu0\"}".getBytes(StandardCharsets.UTF_8))); // incomplete sample
            // Far ahead on both partitions, so the watermark passes every window of the traffic.
            for (int partition = 0; partition < 2; partition++) {
                producer.send(new ProducerRecord<>(requests, partition, null,
                        TELEMETRY.encode(telemetry("flush-" + partition, 100, T0 + 600_000))));
            }
            producer.flush();

            try (TopicReader reader = new TopicReader(KAFKA.bootstrapServers(), List.of(metrics))) {
                windowRecords = reader.readUntil(r -> tumblingCount(r) >= valid, WAIT);
            }
            // The watermark is now past T0 + 10 s: an event from then is late.
            producer.send(new ProducerRecord<>(requests, 0, null, TELEMETRY.encode(telemetry("late", 100, T0 + 5_000))));
            producer.flush();
            try (TopicReader reader = new TopicReader(KAFKA.bootstrapServers(), List.of(deadTopic))) {
                deadRecords = reader.readUntil(r -> r.size() >= bad.size() + 2, WAIT);
            }
            restarts = new JobRestClient(rest).restarts(job.getJobID());
            status = job.getJobStatus().get(10, TimeUnit.SECONDS);
        } finally {
            job.cancel().get(30, TimeUnit.SECONDS);
        }

        List<QosWindow> windows = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : windowRecords) {
            QosWindow w = AvroEventCodec.of(QosWindow.class).decode(r.value());
            assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo(w.getModel());
            windows.add(w);
        }
        List<QosWindow> tumbling = windows.stream().filter(w -> w.getWindowKind().equals("tumbling-10s")).toList();
        assertThat(tumbling).extracting(QosWindow::getWindowStartMs).containsExactlyInAnyOrder(T0, T0 + 10_000, T0 + 20_000);
        for (QosWindow pane : tumbling) {
            assertThat(pane.getModel()).isEqualTo("llama");
            assertThat(pane.getPartitionId()).isEqualTo("gpu0/cpx0");
            assertThat(pane.getRequestCount()).isEqualTo(100);
            assertThat(pane.getSloAttainment()).isEqualTo(Map.of("ttft", 0.8, "all", 0.8));
            assertThat(pane.getErrorBudgetBurnRate()).isCloseTo(20.0, org.assertj.core.data.Offset.offset(1e-9));
            assertThat(pane.getTtftMs().getP50()).isCloseTo(100.0, org.assertj.core.data.Offset.offset(1.0));
            assertThat(pane.getTtftMs().getP99()).isCloseTo(400.0, org.assertj.core.data.Offset.offset(4.0));
            // The GPU topic is read by its own source, so a window may come before the sample.
            assertThat(pane.getMemoryHeadroomBytes()).isIn(null, 4L << 30);
        }
        assertThat(windows).extracting(QosWindow::getWindowKind).contains("sliding-1m", "burn-5m", "burn-1h");

        Map<String, Integer> reasons = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : deadRecords) {
            DeadLetter d = AvroEventCodec.of(DeadLetter.class).decode(r.value());
            assertThat(d.getReason()).isNotBlank();
            reasons.merge(d.getReasonCode(), 1, Integer::sum);
        }
        assertThat(reasons).isEqualTo(Map.of("OUT_OF_RANGE", 2, "UNKNOWN_FIELD", 1, "WRONG_TYPE", 1,
                "UNKNOWN_FORMAT", 1, "MISSING_FIELD", 1, "LATE_EVENT", 1));
        assertThat(restarts).isZero();
        assertThat(status).isEqualTo(JobStatus.RUNNING);
    }

    private static long tumblingCount(List<ConsumerRecord<byte[], byte[]>> records) {
        long total = 0;
        for (ConsumerRecord<byte[], byte[]> r : records) {
            try {
                QosWindow w = AvroEventCodec.of(QosWindow.class).decode(r.value());
                total += w.getWindowKind().equals("tumbling-10s") ? w.getRequestCount() : 0;
            } catch (Exception e) {
                throw new AssertionError("undecodable QosWindow on the metrics topic", e);
            }
        }
        return total;
    }

    private static RequestTelemetry telemetry(String id, double ttft, long at) {
        return RequestTelemetry.newBuilder().setRequestId(id).setModel("llama").setGpuId("gpu0")
                .setPartitionId("gpu0/cpx0").setTtftMs(ttft).setTpotMs(20).setE2eMs(ttft + 1000)
                .setPromptTokens(10).setCompletionTokens(50).setEventTimeMs(at).build();
    }

    private static String json(String id, String ttft, long at, String extra) {
        return String.format(Locale.ROOT, "{\"requestId\":\"%s\",\"model\":\"llama\",\"gpuId\":\"gpu0\","
                + "\"partitionId\":\"gpu0/cpx0\",\"ttftMs\":%s,\"tpotMs\":20,\"e2eMs\":2000,\"promptTokens\":10,"
                + "\"completionTokens\":50,\"eventTimeMs\":%d%s}", id, ttft, at, extra);
    }
}
