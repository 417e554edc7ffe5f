package dev.aimnext.rocm;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Pools on the native host backend, through JNI: accounting, the quota, and no leaks. */
class HostPoolTest {

    private static GpuRuntime runtime;

    @BeforeAll
    static void openHostRuntime() {
        runtime = GpuRuntime.builder().backend(GpuBackend.HOST).open();
    }

    @Test
    void runtimeIsNativeOnTheRequestedHostBackend() {
        assertThat(runtime.isNative()).isTrue();
        assertThat(runtime.backend()).isEqualTo(GpuBackend.HOST);
        assertThat(runtime.libraryVersion()).startsWith("0.1.0 (backends: host");
        assertThat(runtime.fallbackReason()).contains("as requested");
        assertThat(runtime.summary()).startsWith("rocm-native: host backend, as requested (libaimgpu 0.1.0");
    }

    @Test
    void allocationsCountAgainstTheQuotaUntilFreed() {
        try (MemoryPool pool = runtime.openPool(1 << 20)) {
            Allocation a = pool.allocate(4096);
            Allocation b = pool.allocate(100_000);
            assertThat(a.address()).isNotZero().isNotEqualTo(b.address());
            assertThat(a.size()).isEqualTo(4096);

            PoolStats during = pool.stats();
            assertThat(during.backend()).isEqualTo(GpuBackend.HOST);
            assertThat(during.quotaBytes()).isEqualTo(1 << 20);
            assertThat(during.usedBytes()).isEqualTo(104_096);
            assertThat(during.reservedBytes()).isEqualTo(104_096);
            assertThat(during.liveAllocations()).isEqualTo(2);
            assertThat(during.availableBytes()).isEqualTo((1 << 20) - 104_096);

            a.close();
            b.close();
            PoolStats after = pool.stats();
            assertThat(after.usedBytes()).isZero();
            assertThat(after.liveAllocations()).isZero();
            assertThat(after.highWaterBytes()).isEqualTo(104_096);
            assertThat(after.allocations()).isEqualTo(2);
            assertThat(after.frees()).isEqualTo(2);
            assertThat(after.failedAllocations()).isZero();
        }
    }

    @Test
    void allocationPastTheQuotaThrowsTheTypedExceptionAndLeavesThePoolUnchanged() {
        try (MemoryPool pool = runtime.openPool(10_000)) {
            Allocation held = pool.allocate(6_000);

            assertThatThrownBy(() -> pool.allocate(5_000))
                    .isInstanceOf(QuotaExceededException.class)
                    .hasMessageStartingWith("allocation would exceed the pool quota; nothing was allocated")
                    .hasMessageContaining("5000 bytes requested, 6000 of 10000 bytes in use")
                    .satisfies(e -> assertThat(((GpuException) e).status()).isEqualTo(GpuStatus.QUOTA_EXCEEDED));

            PoolStats refused = pool.stats();
            assertThat(refused.usedBytes()).isEqualTo(6_000);
            assertThat(refused.liveAllocations()).isEqualTo(1);
            assertThat(refused.failedAllocations()).isEqualTo(1);
            assertThat(refused.quotaRejections()).isEqualTo(1);

            // Exactly up to the quota is allowed.
            Allocation rest = pool.allocate(4_000);
            assertThat(pool.stats().usedBytes()).isEqualTo(10_000);
            rest.close();
            held.close();
            assertThat(pool.stats().usedBytes()).isZero();
            assertThat(pool.stats().liveAllocations()).isZero();
        }
    }

    @Test
    void aRequestLargerThanTheWholeQuotaNeverReachesMalloc() {
        try (MemoryPool pool = runtime.openPool(1 << 20)) {
            assertThatThrownBy(() -> pool.allocate(Long.MAX_VALUE)).isInstanceOf(QuotaExceededException.class);
            assertThat(pool.stats().usedBytes()).isZero();
            assertThat(pool.stats().quotaRejections()).isEqualTo(1);
        }
    }

    @Test
    void aPoolOnADeviceTheHostBackendDoesNotHaveFailsWithTheLibraryMessage() {
        assertThatThrownBy(() -> runtime.openPool(3, 1 << 20, 0))
                .isInstanceOf(GpuException.class)
                .hasMessage("no such device (index out of range): host backend has one device (0), got 3")
                .satisfies(e -> assertThat(((GpuException) e).status()).isEqualTo(GpuStatus.NO_DEVICE));
    }

    @Test
    void theHostPseudoDeviceIsTheOnlyRuntimeDevice() {
        assertThat(runtime.runtimeDevices())
                .singleElement()
                .satisfies(d -> {
                    assertThat(d.kind()).isEqualTo(NodeKind.HOST);
                    assertThat(d.totalMemoryBytes()).isPositive();
                    assertThat(d.partitions().isReported()).isFalse();
                });
    }
}
