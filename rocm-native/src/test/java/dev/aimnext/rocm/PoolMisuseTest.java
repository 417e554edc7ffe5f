package dev.aimnext.rocm;

import dev.aimnext.rocm.internal.JniGpuBinding;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Misuse gives Java exceptions, never a crash: first the Java-side state checks, then, for handles
 * that get past Java (stale or forged), the JNI glue's own validation.
 */
class PoolMisuseTest {

    private static GpuRuntime runtime;

    @BeforeAll
    static void openHostRuntime() {
        runtime = GpuRuntime.builder().backend(GpuBackend.HOST).open();
    }

    @Test
    void doubleFreeIsRefusedAndTheQuotaIsGivenBackOnlyOnce() {
        try (MemoryPool pool = runtime.openPool(1 << 20)) {
            Allocation a = pool.allocate(1000);
            Allocation b = pool.allocate(500);
            a.close();
            assertThatThrownBy(a::close)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("double free: allocation of 1000 bytes");
            assertThat(pool.stats().usedBytes()).isEqualTo(500);
            assertThat(pool.stats().frees()).isEqualTo(1);
            b.close();
        }
    }

    @Test
    void theAddressOfAFreedAllocationIsNotHandedOut() {
        try (MemoryPool pool = runtime.openPool(1 << 20)) {
            Allocation a = pool.allocate(64);
            a.close();
            assertThat(a.isFreed()).isTrue();
            assertThatThrownBy(a::address)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("was freed");
        }
    }

    @Test
    void sizesThatAreNotPositiveAreRejectedBeforeTheNativeCall() {
        try (MemoryPool pool = runtime.openPool(1 << 20)) {
            assertThatThrownBy(() -> pool.allocate(0))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("allocation size must be positive, got 0");
            assertThatThrownBy(() -> pool.allocate(-1))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("allocation size must be positive, got -1");
            assertThat(pool.stats().failedAllocations()).isZero();
        }
        assertThatThrownBy(() -> runtime.openPool(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> runtime.openPool(-5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> runtime.openPool(0, 100, -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void closingAPoolTwiceIsRefused() {
        MemoryPool pool = runtime.openPool(1 << 20);
        pool.close();
        assertThat(pool.isClosed()).isTrue();
        assertThatThrownBy(pool::close)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("memory pool already closed");
    }

    @Test
    void everyUseOfAClosedPoolIsRefused() {
        MemoryPool pool = runtime.openPool(1 << 20);
        Allocation live = pool.allocate(128);
        pool.close(); // frees `live` with it

        assertThatThrownBy(() -> pool.allocate(1))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("memory pool is closed");
        assertThatThrownBy(pool::stats).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(live::address)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("belongs to a closed pool");
        assertThatThrownBy(live::close)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("its pool is closed and freed it when it closed");
    }

    @Test
    void theGlueRefusesStaleAndForgedPoolHandles() {
        JniGpuBinding binding = new JniGpuBinding();
        long handle = binding.createPool(GpuBackend.HOST, 0, 1 << 20, 0);
        long address = binding.allocate(handle, 256);
        assertThat(binding.destroyPool(handle)).isEqualTo(1); // the live allocation was freed with it

        for (long bad : new long[] {handle, 0L, -1L, 0x7fff_ffff_0000_0001L, handle + 1000}) {
            assertThatThrownBy(() -> binding.allocate(bad, 16))
                    .isInstanceOf(GpuException.class)
                    .hasMessageEndingWith("unknown or closed pool handle")
                    .satisfies(e -> assertThat(((GpuException) e).status()).isEqualTo(GpuStatus.INVALID_ARGUMENT));
            assertThatThrownBy(() -> binding.free(bad, address)).isInstanceOf(GpuException.class);
            assertThatThrownBy(() -> binding.stats(bad)).isInstanceOf(GpuException.class);
            assertThatThrownBy(() -> binding.destroyPool(bad))
                    .isInstanceOf(GpuException.class)
                    .hasMessageEndingWith("unknown or already closed pool handle");
        }
    }

    @Test
    void aReusedSlotDoesNotAcceptTheOldHandle() {
        JniGpuBinding binding = new JniGpuBinding();
        long first = binding.createPool(GpuBackend.HOST, 0, 1 << 20, 0);
        binding.destroyPool(first);
        long second = binding.createPool(GpuBackend.HOST, 0, 1 << 20, 0);
        try {
            assertThat(second).isNotEqualTo(first);
            assertThatThrownBy(() -> binding.stats(first)).isInstanceOf(GpuException.class);
            assertThat(binding.stats(second).quotaBytes()).isEqualTo(1 << 20);
        } finally {
            binding.destroyPool(second);
        }
    }

    @Test
    void theLibraryRefusesPointersThatAreNotLiveInThePool() {
        JniGpuBinding binding = new JniGpuBinding();
        long handle = binding.createPool(GpuBackend.HOST, 0, 1 << 20, 0);
        try {
            long address = binding.allocate(handle, 64);
            binding.free(handle, address);
            assertThatThrownBy(() -> binding.free(handle, address))
                    .isInstanceOf(GpuException.class)
                    .hasMessageStartingWith(
                            "pointer is not a live allocation of this pool (double free or foreign pointer)")
                    .satisfies(e -> assertThat(((GpuException) e).status()).isEqualTo(GpuStatus.UNKNOWN_POINTER));
            assertThatThrownBy(() -> binding.free(handle, 0x1234_5678L))
                    .isInstanceOf(GpuException.class)
                    .satisfies(e -> assertThat(((GpuException) e).status()).isEqualTo(GpuStatus.UNKNOWN_POINTER));
            assertThatThrownBy(() -> binding.allocate(handle, -8))
                    .isInstanceOf(GpuException.class)
                    .satisfies(e -> assertThat(((GpuException) e).status()).isEqualTo(GpuStatus.INVALID_ARGUMENT));
            assertThat(binding.stats(handle).usedBytes()).isZero();
        } finally {
            binding.destroyPool(handle);
        }
    }
}
