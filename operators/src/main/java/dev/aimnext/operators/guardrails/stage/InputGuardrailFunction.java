package dev.aimnext.operators.guardrails.stage;

import dev.aimnext.operators.guardrails.pii.PiiGuardrail;
import dev.aimnext.operators.guardrails.pii.policy.PiiPolicy;
import dev.aimnext.schemas.event.GuardrailFinding;
import dev.aimnext.schemas.event.GuardrailStage;
import dev.aimnext.schemas.event.GuardrailVerdict;
import dev.aimnext.schemas.event.InferenceRequest;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

import java.util.HashMap;
import java.util.Map;

/**
 * Applies the input guardrails to each request and emits exactly one {@link GuardrailVerdict} per
 * request on the main output. Requests that may proceed (allowed or redacted) go to the {@link
 * #FORWARDED} side output; a blocked request produces only its verdict.
 */
public class InputGuardrailFunction extends ProcessFunction<InferenceRequest, GuardrailVerdict> {

    private static final long serialVersionUID = 1L;

    /** Requests that passed, possibly redacted, bound for {@code aim.requests.allowed}. */
    public static final OutputTag<InferenceRequest> FORWARDED =
            new OutputTag<>("forwarded-requests", new AvroTypeInfo<>(InferenceRequest.class));

    private final PiiPolicy piiPolicy;

    private transient PiiGuardrail pii;
    private transient GuardrailMetrics metrics;

    public InputGuardrailFunction(PiiPolicy piiPolicy) {
        this.piiPolicy = piiPolicy;
    }

    @Override
    public void open(OpenContext openContext) {
        pii = new PiiGuardrail(piiPolicy, System::getenv);
        metrics = new GuardrailMetrics(getRuntimeContext().getMetricGroup(), "input");
    }

    @Override
    public void processElement(
            InferenceRequest request, Context ctx, Collector<GuardrailVerdict> out) {
        long started = System.nanoTime();
        PiiGuardrail.RequestOutcome outcome = pii.check(request);
        long micros = (System.nanoTime() - started) / 1_000;

        Map<String, Double> scores = new HashMap<>();
        double top = 0;
        for (GuardrailFinding finding : outcome.findings()) {
            top = Math.max(top, finding.getScore());
            metrics.finding(finding.getType());
        }
        scores.put(PiiGuardrail.NAME, top);
        metrics.record(outcome.action(), micros);

        out.collect(
                GuardrailVerdict.newBuilder()
                        .setRequestId(request.getRequestId())
                        .setTenant(request.getTenant())
                        .setStage(GuardrailStage.INPUT)
                        .setAction(outcome.action())
                        .setFindings(outcome.findings())
                        .setScores(scores)
                        .setPolicyVersion(piiPolicy.version())
                        .setLatencyMicros(micros)
                        .setDecidedAtMs(System.currentTimeMillis())
                        .setReason(VerdictReasons.summarize(outcome.action(), outcome.findings()))
                        .build());
        if (outcome.forwarded() != null) {
            ctx.output(FORWARDED, outcome.forwarded());
        }
    }
}
