package dev.aimnext.rocm;

import dev.aimnext.rocm.internal.GpuBinding;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.ref.Cleaner;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A memory-quota pool: the bytes of its live allocations never exceed {@link #quotaBytes()}. It
 * caps only what this process allocates through it; it cannot confine another process, which only
 * hardware partitions can.
 *
 * <p><b>Threads.</b> {@link #allocate}, {@link Allocation#close} and {@link #stats} may be called
 * from any number of threads at once, as the native pool allows. {@link #close} waits for calls in
 * flight and makes every later call fail with {@link IllegalStateException}: the native contract
 * forbids touching a pool during or after its destruction, and a read-write lock here is what
 * enforces that (the JNI glue enforces it a second time).
 *
 * <p><b>Closing.</b> Closing twice is a bug in the caller and throws. Closing frees the
 * allocations still live, and logs how many there were. A pool that is never closed is destroyed
 * when it becomes unreachable, with a warning, so a leak costs a log line rather than the quota.
 */
public final class MemoryPool implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MemoryPool.class);
    private static final Cleaner CLEANER = Cleaner.create();

    private final GpuBinding binding;
    private final long handle;
    private final GpuBackend backend;
    private final int device;
    private final long quotaBytes;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Destroyer destroyer;
    private final Cleaner.Cleanable cleanable;
    private boolean closed; // written under the write lock, read under either lock

    MemoryPool(GpuBinding binding, GpuBackend backend, int device, long quotaBytes, long releaseThresholdBytes) {
        this.binding = binding;
        this.backend = backend;
        this.device = device;
        this.quotaBytes = quotaBytes;
        this.handle = binding.createPool(backend, device, quotaBytes, releaseThresholdBytes);
        this.destroyer = new Destroyer(binding, handle, backend + " pool of " + quotaBytes + " bytes");
        this.cleanable = CLEANER.register(this, destroyer);
    }

    /**
     * Allocates {@code bytes} through the pool.
     *
     * @throws IllegalArgumentException if {@code bytes} is zero or negative
     * @throws IllegalStateException if the pool is closed
     * @throws QuotaExceededException if the allocation would take the pool past its quota; nothing
     *     was allocated
     * @throws GpuException for any other native failure, such as {@link GpuStatus#OUT_OF_MEMORY}
     */
    public Allocation allocate(long bytes) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("allocation size must be positive, got " + bytes);
        }
        lock.readLock().lock();
        try {
            requireOpen();
            long address = binding.allocate(handle, bytes);
            return new Allocation(this, address, bytes);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Counters of the pool, consistent with each other. */
    public PoolStats stats() {
        lock.readLock().lock();
        try {
            requireOpen();
            return binding.stats(handle);
        } finally {
            lock.readLock().unlock();
        }
    }

    public GpuBackend backend() {
        return backend;
    }

    public int device() {
        return device;
    }

    public long quotaBytes() {
        return quotaBytes;
    }

    public boolean isClosed() {
        lock.readLock().lock();
        try {
            return closed;
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Destroys the pool, freeing what is still allocated.
     *
     * @throws IllegalStateException if the pool was closed already
     */
    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            if (closed) {
                throw new IllegalStateException("memory pool already closed (" + this + ")");
            }
            closed = true;
            destroyer.explicit = true;
            cleanable.clean();
        } finally {
            lock.writeLock().unlock();
        }
        if (destroyer.failure != null) {
            throw destroyer.failure;
        }
        if (destroyer.outstanding > 0) {
            LOG.warn("{} closed with {} live allocations; they were freed with it", this, destroyer.outstanding);
        }
    }

    /** Frees one allocation; called by {@link Allocation#close()} after its own double-free check. */
    void release(Allocation allocation) {
        lock.readLock().lock();
        try {
            if (closed) {
                throw new IllegalStateException(
                        "cannot free " + allocation + ": its pool is closed and freed it when it closed");
            }
            binding.free(handle, allocation.rawAddress());
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Throws unless the pool is open; callers hold a lock. */
    void requireOpen() {
        if (closed) {
            throw new IllegalStateException("memory pool is closed (" + this + ")");
        }
    }

    /** For {@link Allocation#address()}: a pointer is only meaningful while its pool is open. */
    boolean isOpen() {
        lock.readLock().lock();
        try {
            return !closed;
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public String toString() {
        return backend.label() + " pool on device " + device + ", quota " + quotaBytes + " bytes";
    }

    /**
     * Destroys the native pool exactly once: from {@link #close()}, or from the cleaner when the
     * pool became unreachable unclosed. Holds no reference to the pool itself, as a cleaning
     * action must not.
     */
    private static final class Destroyer implements Runnable {
        private final GpuBinding binding;
        private final long handle;
        private final String description;
        private volatile long outstanding;
        private volatile RuntimeException failure;
        private volatile boolean explicit;

        Destroyer(GpuBinding binding, long handle, String description) {
            this.binding = binding;
            this.handle = handle;
            this.description = description;
        }

        @Override
        public void run() {
            try {
                outstanding = binding.destroyPool(handle);
                if (!explicit) {
                    LOG.warn("{} was never closed; destroyed when unreachable, with {} live allocations",
                            description, outstanding);
                }
            } catch (RuntimeException e) {
                failure = e;
            }
        }
    }
}
