package dev.aimnext.operators.guardrails.pii.policy;

import java.util.Locale;

/** What the guardrail does with a detected entity. */
public enum PiiAction {
    /** Replace with a numbered placeholder, {@code [EMAIL_ADDRESS_1]}; equal values share a number. */
    MASK,
    /** Remove the value. */
    REDACT,
    /** Replace with an HMAC-SHA256 of the value under the tenant's secret: joinable, not reversible. */
    HASH,
    /** Stop the whole request; only a verdict is written. */
    BLOCK,
    /** Leave the text as is but record the finding; for rolling a policy out. */
    REPORT;

    public static PiiAction parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "unknown PII action '" + name + "'; expected mask, redact, hash, block or report");
        }
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
