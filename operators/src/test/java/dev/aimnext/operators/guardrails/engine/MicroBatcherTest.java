package dev.aimnext.operators.guardrails.engine;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MicroBatcherTest {

    private final AtomicLong now = new AtomicLong();
    private final List<List<String>> batches = new ArrayList<>();

    /** Runs batches on the flushing thread and time only moves when the test moves it. */
    private MicroBatcher<String, Integer> batcher(int maxBatch, Duration linger) {
        return new MicroBatcher<>(maxBatch, linger, s -> s.length() / 10, batch -> {
            batches.add(List.copyOf(batch));
            return batch.stream().map(String::length).toList();
        }, Runnable::run, now::get);
    }

    @Test
    void aFullBucketRunsAtOnce() {
        MicroBatcher<String, Integer> b = batcher(3, Duration.ofSeconds(10));
        CompletableFuture<Integer> first = b.submit("a");
        b.submit("bb");
        assertThat(batches).isEmpty();
        assertThat(first).isNotDone();

        CompletableFuture<Integer> third = b.submit("ccc");

        assertThat(batches).containsExactly(List.of("a", "bb", "ccc"));
        assertThat(first).isCompletedWithValue(1);
        assertThat(third).isCompletedWithValue(3);
        assertThat(b.pending()).isZero();
    }

    @Test
    void aPartlyFilledBucketRunsOnlyAfterItsLinger() {
        MicroBatcher<String, Integer> b = batcher(8, Duration.ofMillis(5));
        CompletableFuture<Integer> r = b.submit("x");
        now.addAndGet(Duration.ofMillis(3).toNanos());
        b.submit("y");

        now.addAndGet(Duration.ofMillis(1).toNanos());
        assertThat(b.flushExpired()).isZero();
        assertThat(r).isNotDone();

        now.addAndGet(Duration.ofMillis(1).toNanos());
        assertThat(b.flushExpired()).isEqualTo(1);
        assertThat(batches).containsExactly(List.of("x", "y"));
        assertThat(r).isCompletedWithValue(1);
    }

    @Test
    void textsOfDifferentLengthGoToDifferentBuckets() {
        MicroBatcher<String, Integer> b = batcher(2, Duration.ofMillis(5));
        String longText = "a text well over ten chars";
        b.submit("short");
        b.submit(longText);
        assertThat(batches).isEmpty();

        b.submit("tiny");
        assertThat(batches).containsExactly(List.of("short", "tiny"));

        b.close();
        assertThat(batches).containsExactly(List.of("short", "tiny"), List.of(longText));
        assertThatThrownBy(() -> b.submit("late")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void concurrentSubmittersEachGetTheirOwnResult() throws Exception {
        List<Integer> sizes = Collections.synchronizedList(new ArrayList<>());
        MicroBatcher<Integer, Integer> b = new MicroBatcher<>(5, Duration.ofHours(1), i -> 0, batch -> {
            sizes.add(batch.size());
            return batch.stream().map(i -> i * 2).toList();
        }, Runnable::run, now::get);
        int threads = 4;
        int perThread = 250;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<List<CompletableFuture<Integer>>>> submitted = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int base = t * perThread;
            submitted.add(pool.submit(() -> {
                start.await();
                List<CompletableFuture<Integer>> mine = new ArrayList<>();
                for (int i = 0; i < perThread; i++) {
                    mine.add(b.submit(base + i));
                }
                return mine;
            }));
        }
        start.countDown();
        List<CompletableFuture<Integer>> all = new ArrayList<>();
        for (var f : submitted) {
            all.addAll(f.get());
        }
        pool.shutdown();
        b.close();

        for (int i = 0; i < all.size(); i++) {
            assertThat(all.get(i).join()).isEqualTo(2 * i);
        }
        assertThat(sizes).allMatch(n -> n <= 5);
        assertThat(sizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(threads * perThread);
    }

    @Test
    void aFailedRunFailsEveryRequestInIt() {
        MicroBatcher<String, Integer> b = new MicroBatcher<>(2, Duration.ZERO, s -> 0, batch -> {
            throw new IllegalStateException("session gone");
        }, Runnable::run, now::get);
        CompletableFuture<Integer> one = b.submit("a");
        CompletableFuture<Integer> two = b.submit("b");

        assertThat(one).isCompletedExceptionally();
        assertThatThrownBy(two::join).hasRootCauseMessage("session gone");
    }
}
