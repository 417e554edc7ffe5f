package dev.aimnext.rocm;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** Several threads on one pool: the quota holds at every moment, and everything comes back. */
class ConcurrentPoolTest {

    private static final int THREADS = 6;
    private static final int OPERATIONS = 20_000;
    private static final long QUOTA = 256 * 1024;

    private static GpuRuntime runtime;

    @BeforeAll
    static void openHostRuntime() {
        runtime = GpuRuntime.builder().backend(GpuBackend.HOST).open();
    }

    @Test
    void usedNeverExceedsTheQuotaAndReturnsToZero() throws Exception {
        AtomicLong quotaRefusals = new AtomicLong();
        AtomicLong worstUsed = new AtomicLong();
        ExecutorService threads = Executors.newFixedThreadPool(THREADS);
        try (MemoryPool pool = runtime.openPool(QUOTA)) {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                long seed = 17L * (t + 1);
                done.add(threads.submit(() -> {
                    start.await();
                    SplittableRandom random = new SplittableRandom(seed);
                    Deque<Allocation> held = new ArrayDeque<>();
                    for (int i = 0; i < OPERATIONS; i++) {
                        if (!held.isEmpty() && random.nextInt(100) < 45) {
                            (random.nextBoolean() ? held.pollFirst() : held.pollLast()).close();
                            continue;
                        }
                        try {
                            held.add(pool.allocate(1 + random.nextInt(32 * 1024)));
                            // Stats are a consistent snapshot, so this sees every moment's truth.
                            worstUsed.accumulateAndGet(pool.stats().usedBytes(), Math::max);
                        } catch (QuotaExceededException refused) {
                            quotaRefusals.incrementAndGet();
                        }
                    }
                    held.forEach(Allocation::close);
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get(5, TimeUnit.MINUTES);
            }

            PoolStats end = pool.stats();
            assertThat(worstUsed.get()).isLessThanOrEqualTo(QUOTA);
            assertThat(end.highWaterBytes()).isLessThanOrEqualTo(QUOTA);
            assertThat(end.usedBytes()).isZero();
            assertThat(end.liveAllocations()).isZero();
            assertThat(end.allocations()).isEqualTo(end.frees());
            assertThat(end.quotaRejections()).isEqualTo(quotaRefusals.get());
            // The workload is sized to hit the quota, so the refusal path ran under contention.
            assertThat(quotaRefusals.get()).isPositive();
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void closingWhileOtherThreadsAllocateOnlyEverGivesJavaExceptions() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(THREADS);
        MemoryPool pool = runtime.openPool(QUOTA);
        CountDownLatch running = new CountDownLatch(THREADS);
        List<Future<String>> outcomes = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            outcomes.add(threads.submit(() -> {
                running.countDown();
                try {
                    while (true) {
                        try (Allocation a = pool.allocate(1024)) {
                            a.address();
                        } catch (QuotaExceededException refused) {
                            // keep going until the pool closes
                        }
                    }
                } catch (IllegalStateException closed) {
                    return closed.getMessage();
                }
            }));
        }
        running.await();
        pool.close();
        List<String> messages = new ArrayList<>();
        for (Future<String> f : outcomes) {
            messages.add(f.get(1, TimeUnit.MINUTES));
        }
        threads.shutdownNow();
        // Each thread stopped on the closed pool: in allocate, address or free.
        assertThat(messages).hasSize(THREADS).allSatisfy(m -> assertThat(m).containsAnyOf(
                "memory pool is closed", "belongs to a closed pool", "its pool is closed"));
        assertThat(pool.isClosed()).isTrue();
    }
}
