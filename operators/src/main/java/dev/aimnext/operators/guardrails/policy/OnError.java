package dev.aimnext.operators.guardrails.policy;

import java.util.Locale;

/** What a model guardrail decides when its inference fails (an exception or a timeout). */
public enum OnError {
    /** Let the request through; the verdict and the {@code fail_open} counter say so. */
    FAIL_OPEN,
    /** Block the request; the verdict's reason names the guardrail, the {@code fail_closed} counter counts it. */
    FAIL_CLOSED;

    static OnError parse(String name, String field) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    field + ": unknown value '" + name + "'; expected fail_open or fail_closed");
        }
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
