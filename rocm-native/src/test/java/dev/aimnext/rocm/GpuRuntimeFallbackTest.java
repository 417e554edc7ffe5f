package dev.aimnext.rocm;

import dev.aimnext.rocm.testing.FakeSysfsTree;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/** What the runtime falls back to, and that it says why. */
class GpuRuntimeFallbackTest {

    @Test
    void aLibraryThatDoesNotExistGivesTheJavaHostBackendAndTheReason(@TempDir Path dir) {
        Path missing = dir.resolve("libaimgpu_jni.so");
        GpuRuntime runtime = GpuRuntime.builder().nativeLibrary(missing).open();

        assertThat(runtime.isNative()).isFalse();
        assertThat(runtime.backend()).isEqualTo(GpuBackend.HOST);
        assertThat(runtime.libraryOrigin()).isEmpty();
        assertThat(runtime.fallbackReason()).hasValue("native library " + missing + " does not exist");
        assertThat(runtime.summary())
                .startsWith("rocm-native: host backend in Java, without the native library (native library "
                        + missing + " does not exist)");
        assertThat(runtime.backendInfo(GpuBackend.CUDA).compiled()).isFalse();
    }

    @Test
    void theJavaFallbackKeepsTheQuotaRulesAndTheMisuseChecks(@TempDir Path dir) {
        GpuRuntime runtime = GpuRuntime.builder().nativeLibrary(dir.resolve("missing.so")).open();
        try (MemoryPool pool = runtime.openPool(1000)) {
            Allocation a = pool.allocate(700);
            assertThatThrownBy(() -> pool.allocate(301))
                    .isInstanceOf(QuotaExceededException.class)
                    .hasMessage(GpuStatus.QUOTA_EXCEEDED.message() + ": 301 bytes requested, 700 of 1000 bytes in use");
            a.close();
            assertThatThrownBy(a::close).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> pool.allocate(0)).isInstanceOf(IllegalArgumentException.class);

            PoolStats stats = pool.stats();
            assertThat(stats.usedBytes()).isZero();
            assertThat(stats.highWaterBytes()).isEqualTo(700);
            assertThat(stats.quotaRejections()).isEqualTo(1);
            assertThat(stats.liveAllocations()).isZero();
        }
    }

    @Test
    void theJavaFallbackFindsNoDevicesAndNoVram(@TempDir Path dir) {
        GpuRuntime runtime = GpuRuntime.builder()
                .nativeLibrary(dir.resolve("missing.so"))
                .sysfsRoot(FakeSysfsTree.mi300xSpxNps1(dir.resolve("sys")).root())
                .open();

        assertThat(runtime.sysfsDevices()).isEmpty();
        ProcessVram vram = runtime.processVram(VramSource.AUTO, 0);
        assertThat(vram.isAvailable()).isFalse();
        assertThat(vram.unavailableReason()).hasValueSatisfying(r -> assertThat(r).contains("not loaded"));
    }

    @Test
    void aDifferentLibraryFileCannotReplaceTheOneLoaded(@TempDir Path dir) throws Exception {
        assertThat(GpuRuntime.builder().backend(GpuBackend.HOST).open().isNative()).isTrue();
        Path other = Files.writeString(dir.resolve("libother.so"), "not a library");

        GpuRuntime runtime = GpuRuntime.builder().nativeLibrary(other).open();

        assertThat(runtime.isNative()).isFalse();
        assertThat(runtime.fallbackReason()).hasValueSatisfying(r -> assertThat(r)
                .contains("is already loaded in this JVM"));
    }

    @Test
    void withoutAUsableGpuThePackagedLibraryRunsTheNativeHostBackendAndSaysWhy() {
        GpuRuntime probe = GpuRuntime.builder().backend(GpuBackend.HOST).open();
        assumeFalse(probe.backendInfo(GpuBackend.HIP).usable() || probe.backendInfo(GpuBackend.CUDA).usable(),
                "this machine has a usable GPU");

        GpuRuntime runtime = GpuRuntime.open();

        assertThat(runtime.isNative()).isTrue();
        assertThat(runtime.backend()).isEqualTo(GpuBackend.HOST);
        assertThat(runtime.fallbackReason()).hasValueSatisfying(r -> assertThat(r)
                .startsWith("no usable GPU (hip: ")
                .contains("; cuda: "));
        assertThat(runtime.summary()).startsWith("rocm-native: host backend, no usable GPU");
    }
}
