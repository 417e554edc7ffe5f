package dev.aimnext.operators.guardrails.stage;

import dev.aimnext.operators.guardrails.pii.PiiEntity;
import dev.aimnext.schemas.event.GuardrailAction;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * Flink metrics of a guardrail stage, under the {@code aim_guardrail} group with {@code stage},
 * {@code action} and {@code entity} as labels. Flink's Prometheus reporter puts the label keys into
 * the name, so they read, for example, {@code
 * flink_taskmanager_job_task_operator_aim_guardrail_stage_action_requests{stage="input",action="redact",...}}.
 * Labels carry types and actions only, never values.
 */
final class GuardrailMetrics {

    /** Samples kept for the latency quantiles; a window, not the whole history. */
    private static final int LATENCY_WINDOW = 2048;

    private final Map<GuardrailAction, Counter> requestsByAction = new EnumMap<>(GuardrailAction.class);
    private final Map<PiiEntity, Counter> findingsByEntity = new EnumMap<>(PiiEntity.class);
    private final Histogram latencyMicros;

    GuardrailMetrics(MetricGroup operatorGroup, String stage) {
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
