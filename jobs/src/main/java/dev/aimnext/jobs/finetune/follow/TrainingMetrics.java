package dev.aimnext.jobs.finetune.follow;

import dev.aimnext.operators.finetune.run.RunState;
import dev.aimnext.operators.finetune.run.TrainerEvent;
import dev.aimnext.schemas.event.TrainingEventKind;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The latest values of one run as Prometheus gauges ({@code aim_finetune_*}, text format 0.0.4),
 * labelled with the run id. Values come from the trainer's events; a gauge the trainer has not
 * reported yet is left out rather than exported as 0, so a dashboard does not draw a fake drop.
 */
public final class TrainingMetrics {

    /** Gauge name → help text, in exposition order. */
    static final Map<String, String> GAUGES = new LinkedHashMap<>();

    static {
        GAUGES.put("aim_finetune_step", "Last optimizer step the trainer reported.");
        GAUGES.put("aim_finetune_total_steps", "Optimizer steps the run will take.");
        GAUGES.put("aim_finetune_epoch", "Epoch, fractional.");
        GAUGES.put("aim_finetune_loss", "Training loss at the last STEP event.");
        GAUGES.put("aim_finetune_eval_loss", "Eval-split loss at the last EVAL event.");
        GAUGES.put("aim_finetune_learning_rate", "Learning rate at the last STEP event.");
        GAUGES.put("aim_finetune_grad_norm", "Gradient norm at the last STEP event.");
        GAUGES.put("aim_finetune_tokens_per_second", "Training throughput at the last STEP event.");
        GAUGES.put("aim_finetune_gpu_memory_bytes", "GPU memory the trainer holds (peak allocated).");
        GAUGES.put("aim_finetune_eta_seconds", "Trainer's estimate of the time left.");
        GAUGES.put("aim_finetune_attempt", "Current attempt: 1, then one more per retry or resume.");
        GAUGES.put("aim_finetune_retries", "Retries made by this driver after crashes and stalls.");
        GAUGES.put("aim_finetune_checkpoints_saved", "CHECKPOINT events seen by this driver.");
        GAUGES.put("aim_finetune_last_event_timestamp_seconds", "When the trainer last emitted an event, Unix time.");
    }

    private final String runId;
    private final Consumer<String> exposition;
    private final Map<String, Double> values = new LinkedHashMap<>();
    private RunState state = RunState.CREATED;

    /** @param exposition receives the new exposition after every change (the metrics endpoint) */
    public TrainingMetrics(String runId, Consumer<String> exposition) {
        this.runId = runId;
        this.exposition = exposition;
        exposition.accept(render());
    }

    /** Takes the values an event carries. */
    public synchronized void onEvent(TrainerEvent e) {
        set("aim_finetune_step", e.step());
        set("aim_finetune_epoch", e.epoch());
        set("aim_finetune_last_event_timestamp_seconds", e.emittedAtMs() / 1000.0);
        set("aim_finetune_total_steps", e.totalSteps());
        set("aim_finetune_loss", e.loss());
        set("aim_finetune_eval_loss", e.evalLoss());
        set("aim_finetune_learning_rate", e.learningRate());
        set("aim_finetune_grad_norm", e.gradNorm());
        set("aim_finetune_tokens_per_second", e.tokensPerSec());
        set("aim_finetune_gpu_memory_bytes", e.gpuMemoryBytes() == null ? null : e.gpuMemoryBytes().doubleValue());
        set("aim_finetune_eta_seconds", e.etaSec());
        if (e.kind() == TrainingEventKind.CHECKPOINT) {
            set("aim_finetune_checkpoints_saved", values.getOrDefault("aim_finetune_checkpoints_saved", 0.0) + 1);
        }
        exposition.accept(render());
    }

    public synchronized void onAttempt(int attempt, int retries) {
        set("aim_finetune_attempt", attempt);
        set("aim_finetune_retries", retries);
        exposition.accept(render());
    }

    /** Seeds the step gauges from run.json, so a resumed run does not start at 0 until its first event. */
    public synchronized void onProgress(long step, Long totalSteps) {
        set("aim_finetune_step", step);
        set("aim_finetune_total_steps", totalSteps == null ? null : totalSteps.doubleValue());
        exposition.accept(render());
    }

    public synchronized void onState(RunState next) {
        state = next;
        exposition.accept(render());
    }

    private void set(String name, double value) {
        values.put(name, value);
    }

    private void set(String name, Number value) {
        if (value != null) {
            values.put(name, value.doubleValue());
        }
    }

    /** The exposition; every family has its HELP and TYPE lines even before it has a value. */
    public synchronized String render() {
        StringBuilder out = new StringBuilder(2048);
        String label = "run_id=\"" + escape(runId) + "\"";
        family(out, "aim_finetune_state", "Always 1 for the run's current state (label state).");
        out.append("aim_finetune_state{").append(label).append(",state=\"").append(state.name()).append("\"} 1\n");
        for (Map.Entry<String, String> g : GAUGES.entrySet()) {
            family(out, g.getKey(), g.getValue());
            Double v = values.get(g.getKey());
            if (v != null) {
                out.append(g.getKey()).append('{').append(label).append("} ").append(format(v)).append('\n');
            }
        }
        return out.toString();
    }

    private static void family(StringBuilder out, String name, String help) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(" gauge\n");
    }

    /** Prometheus spells the non-finite values NaN, +Inf and -Inf. */
    static String format(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Double.toString(v); // shortest exact form; Prometheus parses 2.0E-4 as Go's ParseFloat does
    }

    static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
