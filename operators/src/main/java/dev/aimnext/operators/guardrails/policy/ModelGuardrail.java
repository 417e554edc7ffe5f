package dev.aimnext.operators.guardrails.policy;

import java.io.Serializable;

/**
 * One model guardrail of a stage as the policy states it, before its pack is loaded.
 *
 * @param name the score key it reads, e.g. {@code prompt_injection}; also the guardrail's name in
 *     verdicts and metrics
 * @param pack alias of the pack under the policy's {@code packs}
 * @param action what a score at or above the threshold does
 * @param threshold the policy's threshold, or null for the pack's calibrated one
 * @param onError what a failed inference decides
 * @param field where it stands in the policy, e.g. {@code input[0]}, for errors
 */
public record ModelGuardrail(
        String name, String pack, ModelAction action, Double threshold, OnError onError, String field)
        implements Serializable {}
