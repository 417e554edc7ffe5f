package dev.aimnext.jobs.cli;

import dev.aimnext.jobs.local.PortCheck;
import dev.aimnext.jobs.testing.KafkaBrokerExtension;
import dev.aimnext.jobs.testing.TopicReader;
import dev.aimnext.rocm.testing.FakeSysfsTree;
import dev.aimnext.schemas.codec.AvroEventCodec;
import dev.aimnext.schemas.event.GpuSample;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code aim gpu-collector} end to end: options, the real sampling path, a real broker. */
class GpuCollectorCommandITCase {

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    private final AvroEventCodec<GpuSample> codec = AvroEventCodec.of(GpuSample.class);

    @Test
    void theCommandPublishesUntilItsDurationEnds(@TempDir Path dir) {
        String topic = "aim.telemetry.gpu.cli";
        KAFKA.createTopics(List.of(topic), 1);
        Path sysfs = FakeSysfsTree.mi300xSpxNps1(dir.resolve("sys")).root();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int code = AimCli.run(new String[] {"gpu-collector",
                "--bootstrap-servers", KAFKA.bootstrapServers(), "--topic", topic, "--interval", "1",
                "--duration", "3", "--metrics-port", Integer.toString(PortCheck.freePort()),
                "--sysfs-root", sysfs.toString(), "--node", "cli-node"}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(printed).contains("Publishing GpuSample events to " + topic + " on " + KAFKA.bootstrapServers());
        assertThat(printed).contains("Sampling 1 GPU partition(s) on node cli-node every 1 s.");
        assertThat(printed).containsPattern("Stopped after [1-9][0-9]* sampling rounds; [1-9][0-9]* samples published, 0 not delivered\\.");
        try (TopicReader reader = new TopicReader(KAFKA.bootstrapServers(), List.of(topic))) {
            List<ConsumerRecord<byte[], byte[]>> records = reader.readUntil(r -> !r.isEmpty(), Duration.ofSeconds(30));
            assertThat(records).isNotEmpty().allSatisfy(r -> {
                GpuSample s = codec.decode(r.value());
                assertThat(s.getNode()).isEqualTo("cli-node");
                assertThat(s.getGpuId()).isEqualTo("0000:0c:00.0");
                assertThat(s.getComputePartitionMode()).isEqualTo("SPX");
                assertThat(s.getVramLimitBytes()).isEqualTo(FakeSysfsTree.MI300X_VRAM_BYTES);
            });
        }
    }
}
