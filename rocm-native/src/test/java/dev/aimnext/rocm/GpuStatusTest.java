package dev.aimnext.rocm;

import dev.aimnext.rocm.internal.JniGpuBinding;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The Java copy of the status table matches the library's, code by code. */
class GpuStatusTest {

    private static JniGpuBinding binding;

    @BeforeAll
    static void loadLibrary() {
        assertThat(GpuRuntime.builder().backend(GpuBackend.HOST).open().isNative()).isTrue();
        binding = new JniGpuBinding();
    }

    @Test
    void everyCodeHasTheLibrarysMessageAndName() {
        for (GpuStatus status : GpuStatus.values()) {
            assertThat(status.message()).as("message of %s", status).isEqualTo(binding.strerror(status.code()));
            assertThat(status.nativeName()).isEqualTo(binding.statusName(status.code()));
        }
        // AIM_GPU_STATUS_COUNT is one past the last code: the enum covers the whole table.
        assertThat(binding.statusName(GpuStatus.values().length)).isEqualTo("AIM_GPU_STATUS_UNKNOWN");
    }

    @Test
    void unknownCodesDoNotPassAsSuccess() {
        assertThat(GpuStatus.fromCode(14)).isEqualTo(GpuStatus.INTERNAL);
        assertThat(GpuStatus.fromCode(-1)).isEqualTo(GpuStatus.INTERNAL);
        assertThat(GpuStatus.fromCode(2)).isEqualTo(GpuStatus.QUOTA_EXCEEDED);
    }

    @Test
    void anExceptionCarriesReasonAndDetailSeparately() {
        GpuException e = new GpuException(GpuStatus.BACKEND, GpuStatus.BACKEND.message(), "cudaMalloc: out of memory");
        assertThat(e.getMessage())
                .isEqualTo("GPU runtime or management library call failed: cudaMalloc: out of memory");
        assertThat(e.reason()).isEqualTo(GpuStatus.BACKEND.message());
        assertThat(e.detail()).isEqualTo("cudaMalloc: out of memory");
        assertThat(new GpuException(GpuStatus.IO, "x", "").getMessage()).isEqualTo("x");
    }
}
