package dev.aimnext.operators.finetune.run;

/**
 * How one trainer attempt ended, as the driver saw it.
 *
 * @param exitCode the process exit code; -1 when the driver killed it before it exited on its own
 * @param stalled the driver killed it because no line arrived within the stall timeout
 * @param pauseRequested the driver had asked it to pause (SIGTERM) before it ended
 * @param completedEvent it emitted {@code COMPLETED}
 */
public record AttemptEnd(int exitCode, boolean stalled, boolean pauseRequested, boolean completedEvent) {

    /** Paused: SIGTERM received, checkpoint saved (EX_TEMPFAIL). */
    public static final int EXIT_PAUSED = 75;

    /** The trainer refused its config. */
    public static final int EXIT_BAD_CONFIG = 2;

    public static AttemptEnd exited(int exitCode, boolean pauseRequested, boolean completedEvent) {
        return new AttemptEnd(exitCode, false, pauseRequested, completedEvent);
    }

    public static AttemptEnd stall() {
        return new AttemptEnd(-1, true, false, false);
    }

    /** A short description for run.json and the terminal. */
    public String describe() {
        if (stalled) {
            return "stalled (killed)";
        }
        if (pauseRequested && exitCode != EXIT_PAUSED && exitCode != 0) {
            return "stopped by the pause request without saving (exit " + exitCode + ")";
        }
        return switch (exitCode) {
            case 0 -> completedEvent ? "completed" : "exited 0 without a COMPLETED event";
            case EXIT_PAUSED -> "paused (exit 75)";
            case EXIT_BAD_CONFIG -> "rejected its config (exit 2)";
            case -1 -> "killed";
            default -> exitCode > 128 ? "crashed (exit " + exitCode + ", signal " + (exitCode - 128) + ")"
                    : "crashed (exit " + exitCode + ")";
        };
    }
}
