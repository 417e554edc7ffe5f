package dev.aimnext.operators.guardrails.engine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.ToIntFunction;

/**
 * Groups single requests into batches: a bucket runs as soon as it holds {@code maxBatchSize}
 * items, or once its oldest item has waited {@code linger}. Items go to buckets by a key (length
 * bucketing: similar lengths together, so dynamic padding adds few pad tokens). Thread-safe; the
 * batch runs outside the lock on the given executor, and each caller gets a future.
 *
 * <p>Time comes from a {@link LongSupplier} of nanoseconds so tests drive linger without sleeping.
 * {@link #flushExpired} runs lingering buckets; {@link #startLingerTimer} calls it periodically, or
 * a Flink operator calls it from a processing-time timer.
 *
 * @param <I> request type
 * @param <O> result type, one per request
 */
public final class MicroBatcher<I, O> implements AutoCloseable {

    /** Runs one batch; returns one result per item, in order. */
    @FunctionalInterface
    public interface BatchFunction<I, O> {
        List<O> apply(List<I> batch) throws Exception;
    }

    private record Pending<I, O>(I item, CompletableFuture<O> result) {}

    private static final class Bucket<I, O> {
        final List<Pending<I, O>> items = new ArrayList<>();
        long oldestNanos;
    }

    private final int maxBatchSize;
    private final long lingerNanos;
    private final ToIntFunction<I> bucketOf;
    private final BatchFunction<I, O> batchFunction;
    private final Executor executor;
    private final LongSupplier nanoClock;
    private final Map<Integer, Bucket<I, O>> buckets = new HashMap<>();
    private ScheduledExecutorService timer;
    private boolean closed;

    /**
     * @param maxBatchSize items per batch, at least 1
     * @param linger longest wait of a partly filled bucket
     * @param bucketOf bucket key of an item; a constant disables bucketing
     * @param batchFunction runs a batch
     * @param executor where batches run; {@code Runnable::run} runs them on the flushing thread
     * @param nanoClock monotonic time in nanoseconds, {@code System::nanoTime} in production
     */
    public MicroBatcher(int maxBatchSize, Duration linger, ToIntFunction<I> bucketOf, BatchFunction<I, O> batchFunction,
                        Executor executor, LongSupplier nanoClock) {
        if (maxBatchSize < 1) {
            throw new IllegalArgumentException("max batch size must be >= 1, got " + maxBatchSize);
        }
        this.maxBatchSize = maxBatchSize;
        this.lingerNanos = linger.toNanos();
        this.bucketOf = Objects.requireNonNull(bucketOf);
        this.batchFunction = Objects.requireNonNull(batchFunction);
        this.executor = Objects.requireNonNull(executor);
        this.nanoClock = Objects.requireNonNull(nanoClock);
    }

    /** Queues one item; a full bucket is handed to the executor before this returns. */
    public CompletableFuture<O> submit(I item) {
        CompletableFuture<O> result = new CompletableFuture<>();
        List<Pending<I, O>> full = null;
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("micro-batcher is closed");
            }
            Bucket<I, O> bucket = buckets.computeIfAbsent(bucketOf.applyAsInt(item), k -> new Bucket<>());
            if (bucket.items.isEmpty()) {
                bucket.oldestNanos = nanoClock.getAsLong();
            }
            bucket.items.add(new Pending<>(item, result));
            if (bucket.items.size() >= maxBatchSize) {
                full = drain(bucket);
            }
        }
        if (full != null) {
            dispatch(full);
        }
        return result;
    }

    /** Runs every bucket whose oldest item has waited at least the linger time; returns how many ran. */
    public int flushExpired() {
        long now = nanoClock.getAsLong();
        List<List<Pending<I, O>>> due = new ArrayList<>();
        synchronized (this) {
            for (Bucket<I, O> b : buckets.values()) {
                if (!b.items.isEmpty() && now - b.oldestNanos >= lingerNanos) {
                    due.add(drain(b));
                }
            }
        }
        due.forEach(this::dispatch);
        return due.size();
    }

    /** Runs every non-empty bucket now; returns how many ran. */
    public int flushAll() {
        List<List<Pending<I, O>>> due = new ArrayList<>();
        synchronized (this) {
            for (Bucket<I, O> b : buckets.values()) {
                if (!b.items.isEmpty()) {
                    due.add(drain(b));
                }
            }
        }
        due.forEach(this::dispatch);
        return due.size();
    }

    /** Items queued and not yet handed to the executor. */
    public synchronized int pending() {
        return buckets.values().stream().mapToInt(b -> b.items.size()).sum();
    }

    /** Starts a daemon thread that calls {@link #flushExpired} every half linger (at least every 100 µs). */
    public synchronized void startLingerTimer() {
        if (timer != null) {
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "aim-guardrail-linger");
            t.setDaemon(true);
            return t;
        });
        long period = Math.max(lingerNanos / 2, 100_000L);
        timer.scheduleWithFixedDelay(this::flushExpired, period, period, TimeUnit.NANOSECONDS);
    }

    /** Stops the timer and runs what is queued; later submits fail. */
    @Override
    public void close() {
        ScheduledExecutorService t;
        synchronized (this) {
            closed = true;
            t = timer;
            timer = null;
        }
        if (t != null) {
            t.shutdownNow();
        }
        flushAll();
    }

    private List<Pending<I, O>> drain(Bucket<I, O> bucket) {
        List<Pending<I, O>> batch = new ArrayList<>(bucket.items);
        bucket.items.clear();
        return batch;
    }

    private void dispatch(List<Pending<I, O>> batch) {
        try {
            executor.execute(() -> run(batch));
        } catch (RuntimeException e) {
            batch.forEach(p -> p.result().completeExceptionally(e));
        }
    }

    private void run(List<Pending<I, O>> batch) {
        List<I> items = new ArrayList<>(batch.size());
        batch.forEach(p -> items.add(p.item()));
        try {
            List<O> out = batchFunction.apply(items);
            if (out == null || out.size() != items.size()) {
                throw new IllegalStateException("batch of " + items.size() + " gave "
                        + (out == null ? "no" : out.size()) + " results");
            }
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).result().complete(out.get(i));
            }
        } catch (Exception e) {
            // One failed run fails every request in it; the guardrail then applies its on_error.
            batch.forEach(p -> p.result().completeExceptionally(e));
        }
    }
}
