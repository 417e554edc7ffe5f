package dev.aimnext.rocm;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Per-process VRAM through JNI and the library's dlopen loaders. The surefire configuration points
 * the loaders at the fake vendor libraries the Makefile builds (rocm-smi, NVML) and at a missing
 * file for amd-smi.
 */
class ProcessVramTest {

    private static GpuRuntime runtime;

    @BeforeAll
    static void openHostRuntime() {
        runtime = GpuRuntime.builder().backend(GpuBackend.HOST).open();
    }

    @Test
    void rocmSmiListsTheProcessesOnTheDevice() {
        ProcessVram vram = runtime.processVram(VramSource.ROCM_SMI, 0);

        assertThat(vram.isAvailable()).isTrue();
        assertThat(vram.source()).contains(VramSource.ROCM_SMI);
        assertThat(vram.processes()).containsExactly(
                new ProcessMemory(11, OptionalLong.of(4096)), new ProcessMemory(33, OptionalLong.of(8L << 30)));
        assertThat(vram.knownBytes()).isEqualTo(4096 + (8L << 30));
    }

    @Test
    void nvmlMarksAmountsItDoesNotKnow() {
        ProcessVram vram = runtime.processVram(VramSource.NVML, 0);

        assertThat(vram.source()).contains(VramSource.NVML);
        assertThat(vram.processes()).containsExactly(
                new ProcessMemory(100, OptionalLong.of(1L << 20)),
                new ProcessMemory(200, OptionalLong.of(2L << 30)),
                new ProcessMemory(300, OptionalLong.empty()));
        assertThat(vram.knownBytes()).isEqualTo((1L << 20) + (2L << 30));
    }

    @Test
    void autoTakesRocmSmiFirst() {
        assertThat(runtime.processVram(VramSource.AUTO, 1).source()).contains(VramSource.ROCM_SMI);
        assertThat(runtime.processVram(VramSource.AUTO, 1).processes())
                .containsExactly(new ProcessMemory(22, OptionalLong.of(1 << 20)));
    }

    @Test
    void aMissingLibraryIsAnAnswerNotAnError() {
        ProcessVram vram = runtime.processVram(VramSource.AMDSMI, 0);

        assertThat(vram.isAvailable()).isFalse();
        assertThat(vram.processes()).isEmpty();
        assertThat(vram.source()).isEmpty();
        assertThat(vram.unavailableReason()).hasValueSatisfying(reason -> assertThat(reason)
                .startsWith(GpuStatus.UNAVAILABLE.message())
                .contains("dlopen(AIM_GPU_AMDSMI_LIBRARY=")
                .contains("/target/native/no-such-lib"));
    }
}
