package dev.aimnext.rocm;

import dev.aimnext.rocm.testing.FakeSysfsTree;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Partition discovery through JNI against fake sysfs trees like those of tests/test_sysfs.c. */
class SysfsPartitionsTest {

    private static final Set<ComputePartition> MI300X_COMPUTE =
            Set.of(ComputePartition.SPX, ComputePartition.DPX, ComputePartition.QPX, ComputePartition.CPX);
    private static final Set<MemoryPartition> MI300X_MEMORY = Set.of(MemoryPartition.NPS1, MemoryPartition.NPS4);

    private static List<GpuDevice> scan(Path root) {
        return GpuRuntime.builder().sysfsRoot(root).backend(GpuBackend.HOST).open().sysfsDevices();
    }

    @Test
    void mi300xInSpxNps1IsOneGpuAndTheBmcIsSkipped(@TempDir Path dir) {
        List<GpuDevice> devices = scan(FakeSysfsTree.mi300xSpxNps1(dir).root());

        assertThat(devices).singleElement().satisfies(d -> {
            assertThat(d.index()).isZero();
            assertThat(d.card()).isEqualTo(1);
            assertThat(d.kind()).isEqualTo(NodeKind.PHYSICAL);
            assertThat(d.parentIndex()).isEqualTo(-1);
            assertThat(d.busId()).isEqualTo("0000:0c:00.0");
            assertThat(d.name()).isEqualTo("AMD GPU 1002:74a1");
            assertThat(d.totalMemoryBytes()).isEqualTo(FakeSysfsTree.MI300X_VRAM_BYTES);
            assertThat(d.partitions()).isEqualTo(new PartitionModes(
                    ComputePartition.SPX, MI300X_COMPUTE, MemoryPartition.NPS1, MI300X_MEMORY, GpuStatus.OK));
        });
    }

    @Test
    void mi300xInCpxNps4IsOneGpuPlusSevenPartitionNodes(@TempDir Path dir) {
        List<GpuDevice> devices = scan(FakeSysfsTree.mi300xCpxNps4(dir).root());

        assertThat(devices).hasSize(8);
        assertThat(devices.get(0).kind()).isEqualTo(NodeKind.PHYSICAL);
        assertThat(devices.get(0).busId()).isEqualTo("0000:0c:00.0");
        for (int i = 1; i < 8; i++) {
            GpuDevice node = devices.get(i);
            assertThat(node.kind()).isEqualTo(NodeKind.PARTITION);
            assertThat(node.card()).isEqualTo(i);
            assertThat(node.parentIndex()).isZero();
            assertThat(node.partitionId()).isEqualTo(i);
            assertThat(node.busId()).isEmpty();
            assertThat(node.name()).contains("amdgpu_xcp_");
        }
        assertThat(devices).allSatisfy(d -> {
            assertThat(d.partitions().compute()).isEqualTo(ComputePartition.CPX);
            assertThat(d.partitions().memory()).isEqualTo(MemoryPartition.NPS4);
            assertThat(d.partitions().availableCompute()).isEqualTo(MI300X_COMPUTE);
            assertThat(d.partitions().availableMemory()).isEqualTo(MI300X_MEMORY);
            assertThat(d.partitions().status()).isEqualTo(GpuStatus.OK);
        });
    }

    @Test
    void aMalformedModeFileIsReportedOnTheDeviceWithoutFailingTheScan(@TempDir Path dir) {
        FakeSysfsTree tree = FakeSysfsTree.mi300xSpxNps1(dir).writeDeviceFile(1, "current_compute_partition", "UNKNOWN\n");

        assertThat(scan(tree.root())).singleElement().satisfies(d -> {
            assertThat(d.partitions().status()).isEqualTo(GpuStatus.SYSFS_PARSE);
            assertThat(d.partitions().compute()).isEqualTo(ComputePartition.NONE);
            // The other files are still read.
            assertThat(d.partitions().memory()).isEqualTo(MemoryPartition.NPS1);
            assertThat(d.partitions().availableCompute()).isEqualTo(MI300X_COMPUTE);
        });
    }

    @Test
    void aMachineWithoutGpusGivesAnEmptyList(@TempDir Path dir) {
        assertThat(scan(FakeSysfsTree.create(dir).root())).isEmpty();
    }

    @Test
    void anUnreadableRootIsAnIoErrorWithTheLibraryMessage(@TempDir Path dir) {
        Path missing = dir.resolve("no-such-sys");
        assertThatThrownBy(() -> scan(missing))
                .isInstanceOf(GpuException.class)
                .hasMessageStartingWith("sysfs root or directory could not be read")
                .satisfies(e -> assertThat(((GpuException) e).status()).isEqualTo(GpuStatus.IO));
    }
}
