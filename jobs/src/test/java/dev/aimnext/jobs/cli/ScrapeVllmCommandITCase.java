package dev.aimnext.jobs.cli;

import dev.aimnext.jobs.telemetry.FakeVllmServer;
import dev.aimnext.jobs.testing.KafkaBrokerExtension;
import dev.aimnext.jobs.testing.TopicReader;
import dev.aimnext.schemas.codec.AvroEventCodec;
import dev.aimnext.schemas.codec.EventDecodingException;
import dev.aimnext.schemas.event.GpuSample;
import dev.aimnext.schemas.event.RequestPriority;
import dev.aimnext.schemas.event.RequestTelemetry;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code aim scrape-vllm --once} end to end: a stand-in vLLM server answering two real-looking
 * scrapes of a data-parallel V1 server, the command, a real broker, and the events that arrive.
 */
class ScrapeVllmCommandITCase {

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    private static final String MODEL = "Qwen/Qwen3-8B";
    private static final long GIB = 1L << 30;

    private final AvroEventCodec<RequestTelemetry> requestCodec = AvroEventCodec.of(RequestTelemetry.class);
    private final AvroEventCodec<GpuSample> gpuCodec = AvroEventCodec.of(GpuSample.class);

    @Test
    void twoScrapesBecomeOneEventPerFinishedRequestAndTwoGpuSamples() {
        String requestsTopic = "aim.telemetry.requests.scrape-it";
        String gpuTopic = "aim.telemetry.gpu.scrape-it";
        KAFKA.createTopics(List.of(requestsTopic, gpuTopic), 1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try (FakeVllmServer server = new FakeVllmServer(List.of(
                FakeVllmServer.Response.metrics(FakeVllmServer.fixture("vllm-v1-dp2-scrape-1.prom")),
                FakeVllmServer.Response.metrics(FakeVllmServer.fixture("vllm-v1-dp2-scrape-2.prom"))))) {
            long before = System.currentTimeMillis();

            code = AimCli.run(new String[] {"scrape-vllm", "--url", server.metricsUrl(), "--model", MODEL,
                    "--partition", "gpu1/cpx5", "--bootstrap", KAFKA.bootstrapServers(), "--interval", "300ms",
                    "--once", "--vram-limit-gb", "24", "--node", "it-node", "--priority", "low",
                    "--compute-mode", "CPX", "--memory-mode", "NPS4",
                    "--requests-topic", requestsTopic, "--gpu-topic", gpuTopic},
                    new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));

            assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
            assertThat(server.served()).isEqualTo(2);
            String printed = out.toString(StandardCharsets.UTF_8);
            assertThat(printed).contains("baseline of Qwen/Qwen3-8B")
                    .contains("time per output token from vllm:request_time_per_output_token_seconds")
                    .contains("31 requests finished")
                    .contains("running 17, waiting 4, KV cache 37.5%")
                    .contains("Stopped after 2 scrapes; 33 events published, 0 not delivered.");

            try (TopicReader reader = new TopicReader(KAFKA.bootstrapServers(), List.of(requestsTopic, gpuTopic))) {
                List<ConsumerRecord<byte[], byte[]>> records = reader.readUntil(r -> r.size() >= 33,
                        Duration.ofSeconds(30));
                List<ConsumerRecord<byte[], byte[]>> requests = records.stream()
                        .filter(r -> r.topic().equals(requestsTopic)).toList();
                List<ConsumerRecord<byte[], byte[]>> samples = records.stream()
                        .filter(r -> r.topic().equals(gpuTopic)).toList();

                assertThat(requests).hasSize(31).allSatisfy(r -> {
                    assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo(MODEL);
                    RequestTelemetry event = requestCodec.decode(r.value());
                    assertThat(r.timestamp()).isEqualTo(event.getEventTimeMs());
                    assertThat(event.getEventTimeMs()).isGreaterThan(before);
                    assertThat(event.getPartitionId()).isEqualTo("gpu1/cpx5");
                    assertThat(event.getGpuId()).isEqualTo("gpu1");
                    assertThat(event.getNode()).isEqualTo("it-node");
                    assertThat(event.getPriority()).isEqualTo(RequestPriority.LOW);
                    assertThat(event.getE2eMs()).isBetween(2_500.0, 30_000.0);
                    assertThat(event.getTtftMs()).isBetween(40.0, 500.0);
                    assertThat(event.getTpotMs()).isBetween(10.0, 50.0);
                    assertThat(event.getPromptTokens()).isBetween(100, 1000);
                    assertThat(event.getCompletionTokens()).isBetween(100, 1000);
                });
                List<RequestTelemetry> events = requests.stream().map(r -> decode(requestCodec, r.value()))
                        .sorted(Comparator.comparingDouble(RequestTelemetry::getE2eMs)).toList();
                // The e2e histogram added 12 requests in (5, 10] s and 3 in (20, 30] s.
                assertThat(events.stream().filter(e -> e.getE2eMs() > 5_000 && e.getE2eMs() <= 10_000)).hasSize(12);
                assertThat(events.stream().filter(e -> e.getE2eMs() > 20_000)).hasSize(3);
                assertThat(events).extracting(RequestTelemetry::getRequestId).doesNotHaveDuplicates();

                assertThat(samples).hasSize(2).allSatisfy(r ->
                        assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo("gpu1"));
                List<GpuSample> gpu = samples.stream().map(r -> decode(gpuCodec, r.value()))
                        .sorted(Comparator.comparingLong(GpuSample::getSampledAtMs)).toList();
                assertThat(gpu).allSatisfy(s -> {
                    assertThat(s.getVramLimitBytes()).isEqualTo(24 * GIB);
                    assertThat(s.getComputePartitionMode()).isEqualTo("CPX");
                    assertThat(s.getMemoryPartitionMode()).isEqualTo("NPS4");
                    assertThat(s.getBackend()).isEqualTo("vllm");
                    assertThat(s.getProcesses()).singleElement().satisfies(p -> assertThat(p.getModel()).isEqualTo(MODEL));
                });
                // KV-cache usage: (0.0731 + 0.0519) / 2 at the first scrape, (0.4122 + 0.3378) / 2 at the second.
                assertThat(gpu.get(0).getVramUsedBytes()).isEqualTo(Math.round(0.0625 * 24 * GIB));
                assertThat(gpu.get(1).getVramUsedBytes()).isEqualTo(Math.round(0.375 * 24 * GIB));
            }
        }
    }

    private static <T extends SpecificRecord> T decode(AvroEventCodec<T> codec, byte[] value) {
        try {
            return codec.decode(value);
        } catch (EventDecodingException e) {
            throw new AssertionError(e);
        }
    }
}
