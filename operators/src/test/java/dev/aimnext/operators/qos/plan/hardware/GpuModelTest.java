package dev.aimnext.operators.qos.plan.hardware;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static dev.aimnext.operators.qos.plan.hardware.ComputeMode.CPX;
import static dev.aimnext.operators.qos.plan.hardware.ComputeMode.DPX;
import static dev.aimnext.operators.qos.plan.hardware.ComputeMode.QPX;
import static dev.aimnext.operators.qos.plan.hardware.ComputeMode.SPX;
import static dev.aimnext.operators.qos.plan.hardware.MemoryMode.NPS1;
import static dev.aimnext.operators.qos.plan.hardware.MemoryMode.NPS2;
import static dev.aimnext.operators.qos.plan.hardware.MemoryMode.NPS4;
import static dev.aimnext.operators.qos.plan.hardware.ModeSupport.DOCUMENTED;
import static dev.aimnext.operators.qos.plan.hardware.ModeSupport.PREVIEW;
import static dev.aimnext.operators.qos.plan.hardware.ModeSupport.VALIDATED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The hardware table: partition sizes, compute shares, and which pairings are valid or vetted. */
class GpuModelTest {

    private static final long GIB = 1L << 30;

    @ParameterizedTest(name = "MI300X {0}")
    @CsvSource({
        "SPX, 1, 192, 8, 1.0",
        "DPX, 2, 96,  4, 0.5",
        "QPX, 4, 48,  2, 0.25",
        "CPX, 8, 24,  1, 0.125",
    })
    void mi300xSplitsMemoryEvenlyAndComputeByWholeXcds(ComputeMode compute, int partitions, long gib, int xcds,
            double share) {
        PartitionMode mode = GpuModel.MI300X.mode(compute, NPS1, DOCUMENTED);

        assertThat(mode.partitions()).isEqualTo(partitions);
        assertThat(mode.partitionBytes()).isEqualTo(gib * GIB);
        assertThat(mode.xcdsPerPartition()).isEqualTo(xcds);
        assertThat(mode.computeShare()).isEqualTo(share);
    }

    @Test
    void moreMemoryPartitionsThanComputePartitionsIsInvalidOnEveryGpu() {
        for (GpuModel gpu : GpuModel.values()) {
            assertThatThrownBy(() -> gpu.mode(SPX, NPS4, PREVIEW))
                    .hasMessage("SPX+NPS4 is not a valid partition mode: a GPU cannot have more memory partitions "
                            + "(NPS4: 4) than compute partitions (SPX: 1)");
            assertThatThrownBy(() -> gpu.mode(SPX, NPS2, PREVIEW)).hasMessageStartingWith("SPX+NPS2 is not a valid");
            assertThatThrownBy(() -> gpu.mode(DPX, NPS4, PREVIEW)).hasMessageStartingWith("DPX+NPS4 is not a valid");
        }
    }

    @Test
    void mi300xTakesNps4OnlyWithQpxOrCpx() {
        assertThat(GpuModel.MI300X.mode(QPX, NPS4, DOCUMENTED).partitionBytes()).isEqualTo(48 * GIB);
        assertThat(GpuModel.MI300X.mode(CPX, NPS4, VALIDATED).partitionBytes()).isEqualTo(24 * GIB);
        assertThat(GpuModel.MI300X.modes().stream().filter(m -> m.memory() == NPS4).map(PartitionMode::compute))
                .containsExactly(QPX, CPX);
    }

    @Test
    void validatedModesAreThoseOfAmdsCompatibilityMatrix() {
        assertThat(GpuModel.describe(GpuModel.MI300X.modes(VALIDATED)))
                .isEqualTo("SPX+NPS1 (validated), DPX+NPS2 (validated), CPX+NPS4 (validated)");
        assertThat(GpuModel.describe(GpuModel.MI325X.modes(PREVIEW))).isEqualTo("SPX+NPS1 (validated)");
        assertThat(GpuModel.describe(GpuModel.MI355X.modes(VALIDATED)))
                .isEqualTo("SPX+NPS1 (validated), DPX+NPS2 (validated)");
        assertThat(GpuModel.describe(GpuModel.MI350X.modes(VALIDATED)))
                .isEqualTo("SPX+NPS1 (validated), DPX+NPS2 (validated)");
    }

    @Test
    void documentedMi300xModesNeedTheDocumentedLevel() {
        assertThatThrownBy(() -> GpuModel.MI300X.mode(QPX, NPS1, VALIDATED))
                .hasMessage("MI300X QPX+NPS1 is a documented mode (AMD MI300X partitioning guide, amd-smi), not "
                        + "validated by AMD; allow documented modes to use it");
    }

    @Test
    void mi325xIsValidatedInSpxOnly() {
        assertThat(GpuModel.MI325X.mode(SPX, NPS1, VALIDATED).partitionBytes()).isEqualTo(256 * GIB);
        assertThatThrownBy(() -> GpuModel.MI325X.mode(DPX, NPS1, PREVIEW))
                .hasMessage("MI325X DPX+NPS1 is not a mode AMD documents for this GPU; it supports SPX+NPS1 (validated)");
        assertThatThrownBy(() -> GpuModel.MI325X.mode(CPX, PREVIEW)).hasMessageStartingWith("MI325X has no CPX mode");
    }

    @Test
    void mi355xDpxUsesNps2AndCpxIsAPreviewLeftOutUnlessAsked() {
        PartitionMode dpx = GpuModel.MI355X.mode(DPX, VALIDATED);
        assertThat(dpx.label()).isEqualTo("DPX+NPS2");
        assertThat(dpx.partitionBytes()).isEqualTo(144 * GIB);
        assertThatThrownBy(() -> GpuModel.MI355X.mode(DPX, NPS1, PREVIEW)).hasMessageContaining("not a mode AMD documents");

        assertThat(GpuModel.MI355X.modes(DOCUMENTED)).noneMatch(m -> m.compute() == CPX);
        assertThatThrownBy(() -> GpuModel.MI355X.mode(CPX, DOCUMENTED))
                .hasMessage("MI355X CPX+NPS1 is a preview mode (preview, SR-IOV (GIM) driver only), not validated by "
                        + "AMD; allow preview modes to use it");
        assertThat(GpuModel.MI355X.mode(CPX, PREVIEW).partitionBytes()).isEqualTo(36 * GIB);
    }

    @Test
    void largestModeIsSpxAndNamesParseInAnyCase() {
        assertThat(GpuModel.MI350X.largestMode(VALIDATED).label()).isEqualTo("SPX+NPS1");
        assertThat(GpuModel.parse("mi300x")).isEqualTo(GpuModel.MI300X);
        assertThat(ComputeMode.parse("qpx")).isEqualTo(QPX);
        assertThat(MemoryMode.parse("nps4")).isEqualTo(NPS4);
        assertThat(ModeSupport.parse("Preview")).isEqualTo(PREVIEW);
        assertThatThrownBy(() -> GpuModel.parse("h100"))
                .hasMessage("unknown GPU 'h100'; expected one of mi300x, mi325x, mi350x, mi355x");
        assertThatThrownBy(() -> ComputeMode.parse("TPX")).hasMessageContaining("expected SPX, DPX, QPX or CPX");
    }
}
