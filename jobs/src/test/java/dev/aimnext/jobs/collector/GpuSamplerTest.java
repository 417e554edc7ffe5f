package dev.aimnext.jobs.collector;

import dev.aimnext.rocm.ComputePartition;
import dev.aimnext.rocm.GpuBackend;
import dev.aimnext.rocm.GpuRuntime;
import dev.aimnext.rocm.ProcessMemory;
import dev.aimnext.rocm.ProcessVram;
import dev.aimnext.rocm.VramSource;
import dev.aimnext.rocm.testing.FakeSysfsTree;
import dev.aimnext.schemas.event.GpuProcess;
import dev.aimnext.schemas.event.GpuSample;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The sampler against fake sysfs trees (through the real JNI scan) and a fake VRAM reader. */
class GpuSamplerTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-27T12:00:00Z"), ZoneOffset.UTC);
    private static final long MI300X = FakeSysfsTree.MI300X_VRAM_BYTES;

    /** Device index -> answer; records which device indexes were asked for. */
    private static final class FakeVram implements ProcessVramReader {
        final List<Integer> asked = new ArrayList<>();
        final boolean available;

        FakeVram(boolean available) {
            this.available = available;
        }

        @Override
        public ProcessVram read(int device) {
            asked.add(device);
            if (!available) {
                return ProcessVram.unavailable("no vendor library in this test");
            }
            return ProcessVram.available(VramSource.ROCM_SMI, List.of(
                    new ProcessMemory(1000 + device, OptionalLong.of(1L << 30)),
                    new ProcessMemory(2000 + device, OptionalLong.of(3L << 30)),
                    new ProcessMemory(3000 + device, OptionalLong.empty())));
        }
    }

    private static GpuSampler sampler(Path sysfs, ProcessVramReader vram, Path proc) {
        GpuRuntime runtime = GpuRuntime.builder().sysfsRoot(sysfs).backend(GpuBackend.HOST).open();
        return new GpuSampler(runtime, "node-a", vram, proc, CLOCK);
    }

    @Test
    void spxNps1IsOneSampleWithTheWholeGpuAndItsProcesses(@TempDir Path dir) throws IOException {
        Path sysfs = FakeSysfsTree.mi300xSpxNps1(dir.resolve("sys")).root();
        Path proc = dir.resolve("proc");
        Files.createDirectories(proc.resolve("2000"));
        Files.writeString(proc.resolve("2000/comm"), "vllm\n");
        FakeVram vram = new FakeVram(true);

        List<GpuSample> samples = sampler(sysfs, vram, proc).sample();

        assertThat(samples).singleElement().satisfies(s -> {
            assertThat(s.getNode()).isEqualTo("node-a");
            assertThat(s.getGpuId()).isEqualTo("0000:0c:00.0");
            assertThat(s.getPartitionId()).isEqualTo("0");
            assertThat(s.getComputePartitionMode()).isEqualTo("SPX");
            assertThat(s.getMemoryPartitionMode()).isEqualTo("NPS1");
            assertThat(s.getVramLimitBytes()).isEqualTo(MI300X);
            assertThat(s.getVramUsedBytes()).isEqualTo(4L << 30); // the unknown amount counts as 0
            assertThat(s.getBackend()).isEqualTo("host");
            assertThat(s.getSampledAtMs()).isEqualTo(CLOCK.millis());
            assertThat(s.getActivityPct()).isNull();
            // Largest first; names from <proc>/<pid>/comm where readable.
            assertThat(s.getProcesses()).extracting(GpuProcess::getPid).containsExactly(2000, 1000, 3000);
            assertThat(s.getProcesses()).extracting(GpuProcess::getName).containsExactly("vllm", "", "");
            assertThat(s.getProcesses()).extracting(GpuProcess::getVramBytes)
                    .containsExactly(3L << 30, 1L << 30, GpuSampler.UNKNOWN_BYTES);
        });
        assertThat(vram.asked).containsExactly(0);
    }

    @Test
    void withoutAVendorLibraryAnUnpartitionedGpuReportsTheDriversFigure(@TempDir Path dir) {
        FakeSysfsTree tree = FakeSysfsTree.create(dir.resolve("sys"))
                .addGpu(1, "0000:0c:00.0", FakeSysfsTree.MI300X_SPX_NPS1.withVramUsed(123_456_789L));

        List<GpuSample> samples = sampler(tree.root(), new FakeVram(false), dir).sample();

        assertThat(samples).singleElement().satisfies(s -> {
            assertThat(s.getVramUsedBytes()).isEqualTo(123_456_789L);
            assertThat(s.getProcesses()).isEmpty();
        });
    }

    @Test
    void cpxNps4IsEightPartitionsOfAnEighthEachNumberedForTheVendorLibrary(@TempDir Path dir) {
        Path sysfs = FakeSysfsTree.mi300xCpxNps4(dir.resolve("sys")).root();
        FakeVram vram = new FakeVram(true);

        List<GpuSample> samples = sampler(sysfs, vram, dir).sample();

        assertThat(samples).hasSize(8);
        assertThat(samples).extracting(GpuSample::getPartitionId)
                .containsExactly("0", "1", "2", "3", "4", "5", "6", "7");
        assertThat(samples).allSatisfy(s -> {
            assertThat(s.getGpuId()).isEqualTo("0000:0c:00.0");
            assertThat(s.getComputePartitionMode()).isEqualTo("CPX");
            assertThat(s.getMemoryPartitionMode()).isEqualTo("NPS4");
            assertThat(s.getVramLimitBytes()).isEqualTo(MI300X / 8);
        });
        assertThat(vram.asked).containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
        assertThat(samples.get(5).getProcesses()).extracting(GpuProcess::getPid).containsExactly(2005, 1005, 3005);
    }

    @Test
    void partitionsWithoutAVendorLibraryHaveAnUnknownAmount(@TempDir Path dir) {
        Path sysfs = FakeSysfsTree.mi300xCpxNps4(dir.resolve("sys")).root();

        assertThat(sampler(sysfs, new FakeVram(false), dir).sample())
                .hasSize(8)
                .allSatisfy(s -> assertThat(s.getVramUsedBytes()).isEqualTo(GpuSampler.UNKNOWN_BYTES));
    }

    @Test
    void idlePartitionNodesOfAnSpxGpuAreNotCountedAsPartitions(@TempDir Path dir) {
        FakeSysfsTree tree = FakeSysfsTree.create(dir.resolve("sys"))
                .addGpu(0, "0000:0c:00.0", FakeSysfsTree.MI300X_SPX_NPS1)
                .addPartitionNode(1, "amdgpu_xcp.0")
                .addPartitionNode(2, "amdgpu_xcp.1");

        assertThat(sampler(tree.root(), new FakeVram(true), dir).sample()).singleElement()
                .satisfies(s -> assertThat(s.getVramLimitBytes()).isEqualTo(MI300X));
    }

    @Test
    void aMachineWithoutGpusGivesNoSamples(@TempDir Path dir) {
        FakeVram vram = new FakeVram(true);

        assertThat(sampler(FakeSysfsTree.create(dir.resolve("sys")).root(), vram, dir).sample()).isEmpty();
        assertThat(vram.asked).isEmpty();
    }

    @Test
    void partitionCountsFollowTheComputeMode() {
        assertThat(GpuSampler.partitionCount(ComputePartition.NONE, 1)).isEqualTo(1);
        assertThat(GpuSampler.partitionCount(ComputePartition.SPX, 8)).isEqualTo(1);
        assertThat(GpuSampler.partitionCount(ComputePartition.DPX, 8)).isEqualTo(2);
        assertThat(GpuSampler.partitionCount(ComputePartition.QPX, 8)).isEqualTo(4);
        assertThat(GpuSampler.partitionCount(ComputePartition.CPX, 8)).isEqualTo(8);
        assertThat(GpuSampler.partitionCount(ComputePartition.CPX, 6)).isEqualTo(6); // MI300A: 6 XCDs
    }
}
