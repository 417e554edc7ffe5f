package dev.aimnext.operators.guardrails.stage;

import dev.aimnext.operators.guardrails.pii.PiiEntity;
import dev.aimnext.operators.guardrails.policy.BoundGuardrail;
import dev.aimnext.operators.guardrails.policy.ModelAction;
import dev.aimnext.operators.guardrails.policy.ModelDecision;
import dev.aimnext.operators.guardrails.policy.OnError;
import dev.aimnext.schemas.event.GuardrailAction;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Flink metrics of a guardrail stage, under the {@code aim_guardrail} group with {@code stage},
 * {@code action} and {@code entity} as labels. Flink's Prometheus reporter puts the label keys into
 * the name, so they read, for example, {@code
 * flink_taskmanager_job_task_operator_aim_guardrail_stage_action_requests{stage="input",action="redact",...}}.
 * Labels carry types and actions only, never values. Model guardrails add, under {@code
 * guardrail=<name>}, the counters {@code blocks}, {@code reports}, {@code fail_open} and {@code
 * fail_closed}; the pack batch histograms are registered by the scoring stage.
 */
final class GuardrailMetrics {

    /** Samples kept for the latency quantiles; a window, not the whole history. */
    private static final int LATENCY_WINDOW = 2048;

    private final Map<GuardrailAction, Counter> requestsByAction = new EnumMap<>(GuardrailAction.class);
    private final Map<PiiEntity, Counter> findingsByEntity = new EnumMap<>(PiiEntity.class);
    private final Histogram latencyMicros;
    private final Map<String, ModelCounters> modelCounters = new HashMap<>();

    /** Counters of one model guardrail. */
    private record ModelCounters(Counter blocks, Counter reports, Counter failOpen, Counter failClosed) {}

    GuardrailMetrics(MetricGroup operatorGroup, String stage, List<BoundGuardrail> modelGuardrails) {
        MetricGroup group = operatorGroup.addGroup("aim_guardrail").addGroup("stage", stage);
        for (GuardrailAction action : GuardrailAction.values()) {
            requestsByAction.put(
                    action,
                    group.addGroup("action", action.name().toLowerCase(Locale.ROOT)).counter("requests"));
        }
        for (PiiEntity entity : PiiEntity.values()) {
            findingsByEntity.put(
                    entity, group.addGroup("entity", entity.name()).counter("pii_findings"));
        }
        latencyMicros =
                group.histogram("latency_us", new DescriptiveStatisticsHistogram(LATENCY_WINDOW));
        for (BoundGuardrail g : modelGuardrails) {
            MetricGroup guardrail = group.addGroup("guardrail", g.name());
            modelCounters.put(g.name(), new ModelCounters(guardrail.counter("blocks"), guardrail.counter("reports"),
                    guardrail.counter("fail_open"), guardrail.counter("fail_closed")));
        }
    }

    /** Counts what each model guardrail did with one request. */
    void model(ModelDecision decision) {
        for (ModelDecision.Triggered t : decision.triggered()) {
            ModelCounters c = modelCounters.get(t.guardrail().name());
            (t.guardrail().action() == ModelAction.BLOCK ? c.blocks() : c.reports()).inc();
        }
        for (ModelDecision.Failed f : decision.failed()) {
            ModelCounters c = modelCounters.get(f.guardrail().name());
            (f.guardrail().onError() == OnError.FAIL_OPEN ? c.failOpen() : c.failClosed()).inc();
        }
    }

    void record(GuardrailAction action, long micros) {
        requestsByAction.get(action).inc();
        latencyMicros.update(micros);
    }

    void finding(String entityType) {
        try {
            findingsByEntity.get(PiiEntity.valueOf(entityType)).inc();
        } catch (IllegalArgumentException e) {
            // Findings of model-backed guardrails are counted by their own stage.
        }
    }
}
