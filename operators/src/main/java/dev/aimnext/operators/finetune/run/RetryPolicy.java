package dev.aimnext.operators.finetune.run;

/**
 * What the driver does after an attempt ends (docs/FINETUNE-PROTOCOL.md §4): exit 0 with a
 * {@code COMPLETED} event completes the run, 75 pauses it, 2 fails it at once (a bad config fails the
 * same way every time), and anything else, a stall included, is retried from the last complete
 * checkpoint while retries are left.
 *
 * @param maxRetries retries allowed per driver invocation ({@code --retries})
 */
public record RetryPolicy(int maxRetries) {

    /** The driver's next move. */
    public enum Decision {
        COMPLETE,
        PAUSE,
        RETRY,
        FAIL
    }

    public RetryPolicy {
        if (maxRetries < 0) {
            throw new IllegalArgumentException("--retries must not be negative, got " + maxRetries);
        }
    }

    /**
     * @param retriesUsed retries already made in this invocation
     */
    public Decision decide(AttemptEnd end, int retriesUsed) {
        if (!end.stalled() && end.exitCode() == 0 && end.completedEvent()) {
            return Decision.COMPLETE;
        }
        if (!end.stalled() && end.exitCode() == AttemptEnd.EXIT_BAD_CONFIG) {
            return Decision.FAIL;
        }
        // A pause the driver asked for wins over how the trainer exited: whatever it managed to save
        // is verified on resume, and retrying would undo what the user asked for.
        if (end.pauseRequested() || (!end.stalled() && end.exitCode() == AttemptEnd.EXIT_PAUSED)) {
            return Decision.PAUSE;
        }
        return retriesUsed < maxRetries ? Decision.RETRY : Decision.FAIL;
    }
}
