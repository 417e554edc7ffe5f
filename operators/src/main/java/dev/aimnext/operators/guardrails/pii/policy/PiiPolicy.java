package dev.aimnext.operators.guardrails.pii.policy;

import dev.aimnext.operators.guardrails.pii.PiiEntity;

import java.io.Serializable;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The PII part of a guardrail policy: detection settings and one action per entity type. Actions
 * resolve from the most specific key: the entity ({@code AWS_ACCESS_KEY}), then its family ({@code
 * SECRET}), then {@code default_action}.
 *
 * <p>Hash secrets are held as references (environment variable names) wherever possible, so the
 * serialized job graph carries no key material; the values are read where the guardrail runs.
 */
public record PiiPolicy(
        String version,
        boolean enabled,
        double threshold,
        int contextWindowWords,
        List<String> phoneRegions,
        PiiAction defaultAction,
        Map<PiiEntity, PiiAction> entityActions,
        Map<PiiEntity.Family, PiiAction> familyActions,
        HashSecrets hashSecrets)
        implements Serializable {

    public PiiPolicy {
        phoneRegions = List.copyOf(phoneRegions);
        entityActions = entityActions.isEmpty() ? Map.of() : new EnumMap<>(entityActions);
        familyActions = familyActions.isEmpty() ? Map.of() : new EnumMap<>(familyActions);
    }

    public PiiAction actionFor(PiiEntity entity) {
        PiiAction action = entityActions.get(entity);
        if (action == null) {
            action = familyActions.get(entity.family());
        }
        return action == null ? defaultAction : action;
    }

    /** True when some entity hashes, so a secret must be available. */
    public boolean usesHash() {
        for (PiiEntity entity : PiiEntity.values()) {
            if (actionFor(entity) == PiiAction.HASH) {
                return true;
            }
        }
        return false;
    }
}
