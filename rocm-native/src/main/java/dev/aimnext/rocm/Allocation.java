package dev.aimnext.rocm;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Memory taken from a {@link MemoryPool}; closing it gives the bytes back to the pool's quota.
 *
 * <p>Misuse fails in Java before it can reach native code: closing twice (a double free) and
 * reading the address after a free throw {@link IllegalStateException}, and so does any use once
 * the pool is closed, because closing a pool frees everything it still holds. The native side
 * checks the pointer once more and refuses one that is not live in the pool.
 *
 * <p>With the native library loaded, {@link #address()} is the pointer the backend returned (host
 * memory, or device memory on CUDA/HIP), for handing to other native code. In the Java fallback it
 * is an opaque token and no memory stands behind it: the fallback only accounts the quota.
 */
public final class Allocation implements AutoCloseable {

    private final MemoryPool pool;
    private final long address;
    private final long size;
    private final AtomicBoolean freed = new AtomicBoolean();

    Allocation(MemoryPool pool, long address, long size) {
        this.pool = pool;
        this.address = address;
        this.size = size;
    }

    /** Requested size in bytes; this is what counts against the quota. */
    public long size() {
        return size;
    }

    /**
     * The native pointer.
     *
     * @throws IllegalStateException once the allocation is freed or its pool closed
     */
    public long address() {
        if (freed.get()) {
            throw new IllegalStateException(this + " was freed; its address is no longer valid");
        }
        if (!pool.isOpen()) {
            throw new IllegalStateException(this + " belongs to a closed pool; its address is no longer valid");
        }
        return address;
    }

    public boolean isFreed() {
        return freed.get();
    }

    /** The pool this allocation came from. */
    public MemoryPool pool() {
        return pool;
    }

    long rawAddress() {
        return address;
    }

    /**
     * Frees the allocation.
     *
     * @throws IllegalStateException on a second call (double free), or if the pool was closed
     */
    @Override
    public void close() {
        if (!freed.compareAndSet(false, true)) {
            throw new IllegalStateException("double free: " + this + " was already freed");
        }
        pool.release(this);
    }

    @Override
    public String toString() {
        return "allocation of " + size + " bytes from the " + pool;
    }
}
