package dev.aimnext.operators.guardrails.pii.anonymize;

import dev.aimnext.operators.guardrails.pii.PiiEntity;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;

/**
 * Numbers mask placeholders within one request: the first email is {@code [EMAIL_ADDRESS_1]}, the
 * second distinct one {@code [EMAIL_ADDRESS_2]}, and a repeated value keeps its number, so the model
 * can still tell who is who. Lives only as long as the request; the values are never exported.
 */
public final class MaskNumbering {

    private final Map<PiiEntity, Map<String, Integer>> numbers = new EnumMap<>(PiiEntity.class);

    public String placeholder(PiiEntity entity, String value) {
        Map<String, Integer> seen = numbers.computeIfAbsent(entity, e -> new HashMap<>());
        int n = seen.computeIfAbsent(value, v -> seen.size() + 1);
        return "[" + entity.name() + "_" + n + "]";
    }
}
