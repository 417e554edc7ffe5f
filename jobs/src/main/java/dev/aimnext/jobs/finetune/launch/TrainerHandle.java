package dev.aimnext.jobs.finetune.launch;

import java.io.IOException;
import java.time.Duration;
import java.util.OptionalInt;

/**
 * A running trainer attempt. The driver reads its output lines (TrainingEvent JSON lines mixed with
 * ordinary log lines) and decides about stalls, retries and pauses; the handle only transports.
 */
public interface TrainerHandle extends AutoCloseable {

    /**
     * The next output line, waiting at most {@code timeout}.
     *
     * @return the line; {@link Line#timedOut()} when none arrived in time; {@link Line#ended()} when the
     *     output is over (the process or pod has finished)
     */
    Line nextLine(Duration timeout) throws IOException, InterruptedException;

    /** The exit code once the attempt has finished; empty while it runs. */
    OptionalInt exitCode();

    /** Waits for the attempt to finish, at most {@code timeout}; the exit code, or empty if still running. */
    OptionalInt waitFor(Duration timeout) throws InterruptedException;

    /** Asks the trainer to checkpoint and stop: SIGTERM locally, pod deletion with a grace period on Kubernetes. */
    void requestPause() throws IOException;

    /** Stops the attempt at once (stall or driver shutdown). */
    void kill() throws IOException;

    @Override
    void close() throws IOException;

    /** One read from the trainer's output. */
    record Line(String text, boolean timedOut, boolean ended) {

        public static Line of(String text) {
            return new Line(text, false, false);
        }

        public static Line timeout() {
            return new Line(null, true, false);
        }

        public static Line end() {
            return new Line(null, false, true);
        }
    }
}
