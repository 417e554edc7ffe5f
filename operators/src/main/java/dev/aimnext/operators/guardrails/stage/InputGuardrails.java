package dev.aimnext.operators.guardrails.stage;

import dev.aimnext.operators.guardrails.policy.GuardrailPolicy;
import dev.aimnext.operators.guardrails.policy.PackReference;
import dev.aimnext.operators.guardrails.policy.StageGuardrails;
import dev.aimnext.schemas.event.GuardrailVerdict;
import dev.aimnext.schemas.event.InferenceRequest;

import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

import java.util.concurrent.TimeUnit;

/**
 * The input guardrail stages of a job: model scoring (when the policy has input model guardrails),
 * then {@link InputGuardrailFunction}. The returned stream carries the verdicts; its {@link
 * InputGuardrailFunction#FORWARDED} side output carries the requests that may proceed.
 */
public final class InputGuardrails {

    private InputGuardrails() {}

    /**
     * @param models the policy's input model guardrails, bound when the job starts
     * @param settings capacity, timeout, pack cache and engine settings of the scoring stage
     */
    public static SingleOutputStreamOperator<GuardrailVerdict> apply(
            DataStream<InferenceRequest> requests, GuardrailPolicy policy, StageGuardrails models,
            ModelStageSettings settings) {
        return apply(requests, policy, models, settings, null);
    }

    /** @param namedEntityPack token-classification pack for named-entity PII; null for none */
    public static SingleOutputStreamOperator<GuardrailVerdict> apply(
            DataStream<InferenceRequest> requests, GuardrailPolicy policy, StageGuardrails models,
            ModelStageSettings settings, PackReference namedEntityPack) {
        DataStream<ScoredRequest> scored;
        if (models.isEmpty()) {
            scored = requests.map(ScoredRequest::unscored).returns(ScoredRequest.typeInfo())
                    .name("no model guardrails").uid("model-scoring-off");
        } else {
            // Unordered: a short text need not wait behind a long one in another length bucket;
            // verdicts and forwarded requests are keyed by request id, not by arrival order.
            scored = AsyncDataStream.unorderedWait(requests, new ModelScoringFunction(models, settings),
                            settings.timeout().toMillis(), TimeUnit.MILLISECONDS, settings.capacity())
                    .returns(ScoredRequest.typeInfo())
                    .name("model guardrails").uid("model-scoring");
        }
        return scored.process(new InputGuardrailFunction(policy, models, namedEntityPack, settings))
                .name("input guardrails")
                .uid("input-guardrails");
    }
}
