package dev.aimnext.jobs.collector;

import dev.aimnext.jobs.local.PortCheck;
import dev.aimnext.jobs.testing.KafkaBrokerExtension;
import dev.aimnext.jobs.testing.PrometheusText;
import dev.aimnext.jobs.testing.TopicReader;
import dev.aimnext.rocm.GpuBackend;
import dev.aimnext.rocm.GpuRuntime;
import dev.aimnext.rocm.ProcessMemory;
import dev.aimnext.rocm.ProcessVram;
import dev.aimnext.rocm.VramSource;
import dev.aimnext.rocm.testing.FakeSysfsTree;
import dev.aimnext.schemas.codec.AvroEventCodec;
import dev.aimnext.schemas.event.GpuSample;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The collector on a real broker: GpuSample events arrive keyed by GPU, decodable, for every
 * partition of every round, and the metrics endpoint serves the same data as valid exposition.
 */
class GpuCollectorITCase {

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    private static final String TOPIC = "aim.telemetry.gpu";
    private final AvroEventCodec<GpuSample> codec = AvroEventCodec.of(GpuSample.class);

    @Test
    void publishesEveryPartitionEachRoundAndServesTheSameAsGauges(@TempDir Path dir) throws Exception {
        KAFKA.createTopics(List.of(TOPIC), 2);
        Path sysfs = FakeSysfsTree.mi300xCpxNps4(dir.resolve("sys")).root();
        GpuRuntime runtime = GpuRuntime.builder().sysfsRoot(sysfs).backend(GpuBackend.HOST).open();
        ProcessVramReader vram = device -> ProcessVram.available(VramSource.ROCM_SMI,
                List.of(new ProcessMemory(4000 + device, OptionalLong.of((device + 1) * 1_000_000L))));
        GpuSampler sampler = new GpuSampler(runtime, "it-node", vram, dir, Clock.systemUTC());
        ByteArrayOutputStream console = new ByteArrayOutputStream();

        List<ConsumerRecord<byte[], byte[]>> records;
        String exposition;
        HttpResponse<String> response;
        try (MetricsEndpoint endpoint = MetricsEndpoint.start(PortCheck.freePort(), "");
                GpuSamplePublisher publisher = new GpuSamplePublisher(KAFKA.bootstrapServers(), TOPIC, Duration.ofSeconds(1));
                TopicReader reader = new TopicReader(KAFKA.bootstrapServers(), List.of(TOPIC))) {
            GpuCollector collector = new GpuCollector(sampler, endpoint, Optional.of(publisher), Duration.ofSeconds(1),
                    new PrintStream(console, true, StandardCharsets.UTF_8), "none", Clock.systemUTC());
            Thread thread = new Thread(collector, "it-gpu-collector");
            thread.start();
            try {
                records = reader.readUntil(r -> rounds(r) >= 3, Duration.ofSeconds(60));
                response = HttpClient.newHttpClient().send(
                        HttpRequest.newBuilder(URI.create("http://localhost:" + endpoint.port() + "/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString());
                exposition = response.body();
            } finally {
                collector.stop();
                thread.join(10_000);
            }
        }

        List<GpuSample> samples = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            GpuSample sample = codec.decode(record.value());
            assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo(sample.getGpuId());
            assertThat(record.timestamp()).isEqualTo(sample.getSampledAtMs());
            samples.add(sample);
        }
        assertThat(rounds(records)).isGreaterThanOrEqualTo(3);
        // All partitions of one GPU share a key, so they share a Kafka partition and stay in order.
        assertThat(records.stream().map(ConsumerRecord::partition).distinct()).hasSize(1);
        Map<Long, Set<String>> partitionsPerRound = samples.stream().collect(Collectors.groupingBy(
                GpuSample::getSampledAtMs, Collectors.mapping(GpuSample::getPartitionId, Collectors.toCollection(TreeSet::new))));
        assertThat(partitionsPerRound.values()).allSatisfy(p -> assertThat(p)
                .containsExactly("0", "1", "2", "3", "4", "5", "6", "7"));
        assertThat(samples).allSatisfy(s -> {
            assertThat(s.getNode()).isEqualTo("it-node");
            assertThat(s.getGpuId()).isEqualTo("0000:0c:00.0");
            assertThat(s.getComputePartitionMode()).isEqualTo("CPX");
            assertThat(s.getMemoryPartitionMode()).isEqualTo("NPS4");
            assertThat(s.getVramLimitBytes()).isEqualTo(FakeSysfsTree.MI300X_VRAM_BYTES / 8);
            int partition = Integer.parseInt(s.getPartitionId());
            assertThat(s.getVramUsedBytes()).isEqualTo((partition + 1) * 1_000_000L);
            assertThat(s.getProcesses()).singleElement()
                    .satisfies(p -> assertThat(p.getPid()).isEqualTo(4000 + partition));
        });

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue(GpuMetricsExposition.CONTENT_TYPE);
        PrometheusText metrics = PrometheusText.parse(exposition);
        assertThat(metrics.value("aim_gpu_partitions", "node", "it-node")).isEqualTo(8.0);
        assertThat(metrics.count("aim_gpu_vram_limit_bytes")).isEqualTo(8);
        assertThat(metrics.value("aim_gpu_vram_used_bytes", "node", "it-node", "gpu", "0000:0c:00.0", "partition", "7"))
                .isEqualTo(8_000_000.0);
        assertThat(metrics.value("aim_gpu_process_vram_bytes", "node", "it-node", "gpu", "0000:0c:00.0",
                "partition", "2", "pid", "4002")).isEqualTo(3_000_000.0);
        assertThat(console.toString(StandardCharsets.UTF_8))
                .isEqualTo("Sampling 8 GPU partition(s) on node it-node every 1 s." + System.lineSeparator());
    }

    /** Completed rounds seen: each round stamps all its samples with one time. */
    private static long rounds(List<ConsumerRecord<byte[], byte[]>> records) {
        Map<Long, Long> perRound = records.stream().collect(Collectors.groupingBy(ConsumerRecord::timestamp, Collectors.counting()));
        return perRound.values().stream().filter(n -> n == 8).count();
    }
}
