package dev.aimnext.operators.dataset.validate;

import java.util.Objects;

/**
 * One failed check on a row.
 *
 * @param reason the stable reason code
 * @param message a human explanation that names the position (for example "message 3") and never
 *     quotes the row's text, so rejects files and logs can be shared without leaking data
 */
public record Violation(ReasonCode reason, String message) {

    public Violation {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(message, "message");
    }
}
