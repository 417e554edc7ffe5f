package dev.aimnext.operators.guardrails.policy;

import java.io.Serializable;

/**
 * A model guardrail with its pack loaded: the threshold is now a number, either the policy's or
 * the pack's calibrated one.
 *
 * @param name the score key it reads
 * @param pack alias of its pack
 * @param action what a score at or above {@code threshold} does
 * @param threshold the decision threshold
 * @param onError what a failed inference decides
 */
public record BoundGuardrail(String name, String pack, ModelAction action, double threshold, OnError onError)
        implements Serializable {}
