package dev.aimnext.operators.guardrails.policy;

import dev.aimnext.operators.guardrails.pii.policy.PiiPolicy;
import dev.aimnext.schemas.event.GuardrailStage;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * A whole guardrail policy as {@link GuardrailPolicyParser} reads it: the PII settings and, per
 * stage, the model guardrails with the packs they read. (The {@code GuardrailPolicy} Avro event on
 * {@code aim.policies} carries the same document as YAML text.)
 *
 * @param version named in every verdict
 * @param source where the policy came from, for error messages
 * @param pii the PII part
 * @param packs pack alias → reference
 * @param input model guardrails on requests
 * @param output model guardrails on model responses
 */
public record GuardrailPolicy(
        String version,
        String source,
        PiiPolicy pii,
        Map<String, PackReference> packs,
        List<ModelGuardrail> input,
        List<ModelGuardrail> output)
        implements Serializable {

    public GuardrailPolicy {
        packs = Map.copyOf(packs);
        input = List.copyOf(input);
        output = List.copyOf(output);
    }

    /** A policy with the PII part only: no model guardrails. */
    public static GuardrailPolicy piiOnly(PiiPolicy pii) {
        return new GuardrailPolicy(pii.version(), "pii policy " + pii.version(), pii, Map.of(), List.of(), List.of());
    }

    /** The model guardrails of one stage, in policy order. */
    public List<ModelGuardrail> modelGuardrails(GuardrailStage stage) {
        return stage == GuardrailStage.INPUT ? input : output;
    }
}
