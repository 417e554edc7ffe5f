package dev.aimnext.jobs.finetune.launch;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A trainer subprocess. Two daemon threads read stdout and stderr into one queue, so {@link
 * #nextLine} can wait with a timeout (a blocking read could not notice a stall); the output is over
 * when both streams are closed.
 */
final class LocalTrainerHandle implements TrainerHandle {

    /** Marks one stream's end in the queue; compared by identity. */
    private static final String STREAM_END = new String("\u0000end");

    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final AtomicInteger openStreams = new AtomicInteger(2);
    private final Thread stdout;
    private final Thread stderr;
    private boolean ended;

    LocalTrainerHandle(Process process, String name) {
        this.process = process;
        this.stdout = reader(process.getInputStream(), "aim-trainer-out-" + name);
        this.stderr = reader(process.getErrorStream(), "aim-trainer-err-" + name);
    }

    private Thread reader(InputStream stream, String name) {
        Thread t = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    lines.add(line);
                }
            } catch (IOException closedUnderUs) {
                // the process was killed, or close() closed the stream: the output is over either way
            } finally {
                lines.add(STREAM_END);
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    @Override
    public Line nextLine(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!ended) {
            String line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null) {
                return Line.timeout();
            }
            if (line != STREAM_END) {
                return Line.of(line);
            }
            if (openStreams.decrementAndGet() == 0) {
                ended = true;
            }
        }
        return Line.end();
    }

    @Override
    public OptionalInt exitCode() {
        return process.isAlive() ? OptionalInt.empty() : OptionalInt.of(process.exitValue());
    }

    @Override
    public OptionalInt waitFor(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)
                ? OptionalInt.of(process.exitValue()) : OptionalInt.empty();
    }

    @Override
    public void requestPause() {
        // Process.destroy() is SIGTERM on Linux and macOS: the trainer saves a checkpoint and exits 75.
        process.destroy();
    }

    @Override
    public void kill() {
        // A stalled trainer may have started workers (data loaders, torchrun ranks); they go first so
        // none is left holding the GPU.
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    @Override
    public void close() throws IOException {
        if (process.isAlive()) {
            kill();
        }
        try {
            process.waitFor(10, TimeUnit.SECONDS);
            stdout.join(1_000);
            stderr.join(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process.getInputStream().close();
        process.getErrorStream().close();
        process.getOutputStream().close();
    }
}
