package dev.aimnext.jobs.collector;

import dev.aimnext.jobs.testing.PrometheusText;
import dev.aimnext.schemas.event.GpuProcess;
import dev.aimnext.schemas.event.GpuSample;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GpuMetricsExpositionTest {

    private static GpuSample sample(String partition, long used, List<GpuProcess> processes) {
        return GpuSample.newBuilder()
                .setNode("n1")
                .setGpuId("0000:0c:00.0")
                .setPartitionId(partition)
                .setComputePartitionMode("CPX")
                .setMemoryPartitionMode("NPS4")
                .setVramUsedBytes(used)
                .setVramLimitBytes(25_767_706_624L)
                .setProcesses(processes)
                .setBackend("hip")
                .setSampledAtMs(1_790_000_000_123L)
                .build();
    }

    private static GpuProcess process(int pid, long bytes) {
        return GpuProcess.newBuilder().setPid(pid).setName("p" + pid).setVramBytes(bytes).build();
    }

    @Test
    void partitionsAndProcessesBecomeGauges() {
        String text = GpuMetricsExposition.render("n1", List.of(
                sample("0", 3_000, List.of(process(11, 1_000), process(12, 2_000))),
                sample("1", GpuSampler.UNKNOWN_BYTES, List.of(process(13, GpuSampler.UNKNOWN_BYTES)))),
                1_790_000_000_123L);

        PrometheusText parsed = PrometheusText.parse(text);
        assertThat(parsed.types()).containsOnlyKeys("aim_gpu_partitions", "aim_gpu_partition_info",
                "aim_gpu_vram_used_bytes", "aim_gpu_vram_limit_bytes", "aim_gpu_process_vram_bytes",
                "aim_gpu_collector_last_sample_timestamp_seconds").containsValue("gauge");
        assertThat(parsed.value("aim_gpu_partitions", "node", "n1")).isEqualTo(2.0);
        assertThat(parsed.value("aim_gpu_vram_used_bytes", "node", "n1", "gpu", "0000:0c:00.0", "partition", "0"))
                .isEqualTo(3_000.0);
        assertThat(parsed.value("aim_gpu_vram_limit_bytes", "node", "n1", "gpu", "0000:0c:00.0", "partition", "1"))
                .isEqualTo(25_767_706_624.0);
        assertThat(parsed.value("aim_gpu_partition_info", "node", "n1", "gpu", "0000:0c:00.0", "partition", "1",
                "compute", "CPX", "memory", "NPS4", "backend", "hip")).isEqualTo(1.0);
        assertThat(parsed.value("aim_gpu_process_vram_bytes", "node", "n1", "gpu", "0000:0c:00.0", "partition", "0",
                "pid", "12")).isEqualTo(2_000.0);
        assertThat(parsed.value("aim_gpu_collector_last_sample_timestamp_seconds", "node", "n1"))
                .isEqualTo(1_790_000_000.123);
        // Unknown amounts are left out, not exported as -1.
        assertThat(parsed.count("aim_gpu_vram_used_bytes")).isEqualTo(1);
        assertThat(parsed.count("aim_gpu_process_vram_bytes")).isEqualTo(2);
        assertThat(text).doesNotContain("-1");
    }

    @Test
    void noGpuIsStillAValidSelfDescribingDocument() {
        PrometheusText parsed = PrometheusText.parse(GpuMetricsExposition.render("n1", List.of(), 0));

        assertThat(parsed.types()).hasSize(6);
        assertThat(parsed.value("aim_gpu_partitions", "node", "n1")).isEqualTo(0.0);
        assertThat(parsed.count("aim_gpu_vram_used_bytes")).isZero();
    }

    @Test
    void processSeriesAreCappedPerPartitionLargestFirst() {
        List<GpuProcess> many = new ArrayList<>();
        for (int pid = 1; pid <= 100; pid++) {
            many.add(process(pid, pid * 10L));
        }
        PrometheusText parsed = PrometheusText.parse(
                GpuMetricsExposition.render("n1", List.of(sample("0", 1, many)), 0));

        assertThat(parsed.count("aim_gpu_process_vram_bytes")).isEqualTo(GpuMetricsExposition.MAX_PROCESSES_PER_PARTITION);
        assertThat(parsed.value("aim_gpu_process_vram_bytes", "node", "n1", "gpu", "0000:0c:00.0", "partition", "0",
                "pid", "100")).isEqualTo(1000.0);
        assertThat(parsed.value("aim_gpu_process_vram_bytes", "node", "n1", "gpu", "0000:0c:00.0", "partition", "0",
                "pid", "68")).isNull();
    }

    @Test
    void labelValuesAreEscaped() {
        String text = GpuMetricsExposition.render("rack \"7\"\\a\nb", List.of(), 0);

        assertThat(text).contains("aim_gpu_partitions{node=\"rack \\\"7\\\"\\\\a\\nb\"} 0\n");
        assertThat(PrometheusText.parse(text).count("aim_gpu_partitions")).isEqualTo(1);
    }

    @Test
    void theReaderRejectsWhatIsNotExposition() {
        assertThatThrownBy(() -> PrometheusText.parse("aim_gpu_partitions 1\n"))
                .hasMessageContaining("sample before its TYPE line");
        assertThatThrownBy(() -> PrometheusText.parse("# TYPE x gauge\nx{a=\"b} 1\n"))
                .hasMessageContaining("not a valid exposition line");
    }
}
