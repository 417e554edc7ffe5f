package dev.aimnext.operators.dataset.stage;

import dev.aimnext.operators.guardrails.pii.policy.PiiPolicy;
import dev.aimnext.operators.guardrails.pii.policy.PiiPolicyParser;

import java.io.Serializable;

/**
 * How kept rows are PII-scrubbed (when scrubbing is on).
 *
 * @param dropRows reject every row in which PII is found ({@value DatasetReject#PII_FOUND}), instead of
 *     masking it as the policy says
 * @param policyYaml a guardrail policy (the same YAML as the guardrail job's {@code --policy}), or
 *     {@code null} for the default policy; its actions apply per entity type, and {@code block} rejects
 *     the row as {@value DatasetReject#PII_BLOCKED}
 * @param policySource names the policy in messages and the manifest
 */
public record PiiScrubSettings(boolean dropRows, String policyYaml, String policySource) implements Serializable {

    private static final long serialVersionUID = 1L;

    public PiiScrubSettings {
        if (policyYaml != null) {
            // Parse once here so a bad policy fails before the job starts, with the parser's message.
            PiiPolicyParser.parse(policyYaml, policySource);
        }
    }

    /** Mask with the default guardrail policy. */
    public static PiiScrubSettings defaults() {
        return new PiiScrubSettings(false, null, null);
    }

    public PiiPolicy policy() {
        return policyYaml == null ? PiiPolicyParser.defaultPolicy() : PiiPolicyParser.parse(policyYaml, policySource);
    }

    /** What the manifest reports. */
    public String describe() {
        return (dropRows ? "drop rows with PII" : "mask") + ", policy " + (policyYaml == null ? "default" : policySource);
    }
}
