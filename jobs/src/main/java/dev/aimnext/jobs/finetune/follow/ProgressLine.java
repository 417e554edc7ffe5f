package dev.aimnext.jobs.finetune.follow;

import dev.aimnext.operators.finetune.run.TrainerEvent;

import java.io.PrintStream;
import java.util.Locale;

/**
 * The driver's terminal output while a run trains: one progress line per STEP event, and the
 * trainer's own log lines in between. On a terminal the progress line is redrawn in place; anywhere
 * else (a file, CI, a test) every update is its own line, so logs stay readable.
 */
public final class ProgressLine {

    private final PrintStream out;
    private final boolean inPlace;
    private Long totalSteps;
    private Double evalLoss;
    private boolean dirty;

    /** @param inPlace redraw with a carriage return (a terminal) instead of printing new lines */
    public ProgressLine(PrintStream out, boolean inPlace, Long totalSteps) {
        this.out = out;
        this.inPlace = inPlace;
        this.totalSteps = totalSteps;
    }

    /** A trainer log line, printed as is below the progress line. */
    public void log(String line) {
        clear();
        out.println(line);
    }

    /** A driver message (attempt started, retrying, paused, ...). */
    public void note(String message) {
        clear();
        out.println("aim finetune: " + message);
    }

    public void onEvent(TrainerEvent e) {
        if (e.totalSteps() != null) {
            totalSteps = e.totalSteps();
        }
        switch (e.kind()) {
            case STEP -> show(format(e));
            case EVAL -> {
                evalLoss = e.evalLoss();
                note(String.format(Locale.ROOT, "step %d eval loss %s", e.step(), number(e.evalLoss())));
            }
            case CHECKPOINT -> note("step " + e.step() + " checkpoint " + e.checkpointPath());
            case STARTED -> note("trainer started" + (e.message() == null ? "" : ": " + e.message())
                    + (totalSteps == null ? "" : " (" + totalSteps + " steps)"));
            case COMPLETED -> note("trainer completed at step " + e.step() + ", output " + e.checkpointPath());
            case FAILED -> note("trainer reported a failure at step " + e.step() + ": " + e.message());
            default -> { }
        }
    }

    /** One progress line for a STEP event. */
    String format(TrainerEvent e) {
        StringBuilder line = new StringBuilder(128);
        line.append("step ").append(e.step());
        if (totalSteps != null && totalSteps > 0) {
            line.append('/').append(totalSteps).append(String.format(Locale.ROOT, " (%.0f%%)", 100.0 * e.step() / totalSteps));
        }
        line.append(String.format(Locale.ROOT, "  epoch %.2f  loss %s", e.epoch(), number(e.loss())));
        if (evalLoss != null) {
            line.append("  eval ").append(number(evalLoss));
        }
        if (e.learningRate() != null) {
            line.append(String.format(Locale.ROOT, "  lr %.2e", e.learningRate()));
        }
        if (e.gradNorm() != null) {
            line.append("  grad ").append(number(e.gradNorm()));
        }
        if (e.tokensPerSec() != null) {
            line.append(String.format(Locale.ROOT, "  %.0f tok/s", e.tokensPerSec()));
        }
        if (e.gpuMemoryBytes() != null) {
            line.append(String.format(Locale.ROOT, "  mem %.1f GiB", e.gpuMemoryBytes() / (double) (1L << 30)));
        }
        if (e.etaSec() != null && e.etaSec() >= 0 && !e.etaSec().isInfinite()) {
            line.append("  ETA ").append(duration(e.etaSec().longValue()));
        }
        return line.toString();
    }

    private void show(String text) {
        if (inPlace) {
            out.print("\r\u001b[2K" + text);
            out.flush();
            dirty = true;
        } else {
            out.println(text);
        }
    }

    /** Ends a progress line drawn in place so the next output starts on a fresh line. */
    public void clear() {
        if (dirty) {
            out.println();
            dirty = false;
        }
    }

    static String number(Double v) {
        return v == null ? "-" : String.format(Locale.ROOT, "%.4f", v);
    }

    static String duration(long seconds) {
        if (seconds >= 3600) {
            return String.format(Locale.ROOT, "%dh%02dm", seconds / 3600, seconds % 3600 / 60);
        }
        return String.format(Locale.ROOT, "%dm%02ds", seconds / 60, seconds % 60);
    }
}
