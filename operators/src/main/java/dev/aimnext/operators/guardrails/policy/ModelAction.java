package dev.aimnext.operators.guardrails.policy;

import java.util.Locale;

/**
 * What a model guardrail does when its score reaches the threshold. A model scores the whole text,
 * not a span, so the span treatments of PII (mask, redact, hash) do not apply.
 */
public enum ModelAction {
    /** Stop the request; only a verdict is written. */
    BLOCK,
    /** Let the request through and record the finding; for rolling a guardrail out. */
    REPORT;

    static ModelAction parse(String name, String field) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    field + ": unknown action '" + name + "'; a model guardrail scores the whole text, so "
                            + "expected block or report");
        }
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
