package dev.aimnext.operators.dataset.validate;

import dev.aimnext.operators.dataset.model.NormalizedConversation;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The outcome for one row: either an accepted conversation (possibly truncated) or every
 * violation found, which is what the rejects file records.
 */
public record ValidationResult(String rowId, List<Violation> violations, NormalizedConversation conversation) {

    public ValidationResult {
        Objects.requireNonNull(rowId, "rowId");
        violations = List.copyOf(violations);
        if (violations.isEmpty() == (conversation == null)) {
            throw new IllegalArgumentException("an accepted row has a conversation and no violations");
        }
    }

    public boolean accepted() {
        return violations.isEmpty();
    }

    public Optional<NormalizedConversation> acceptedConversation() {
        return Optional.ofNullable(conversation);
    }

    /** The distinct reasons, in the order the rules found them. */
    public Set<ReasonCode> reasons() {
        Set<ReasonCode> reasons = new LinkedHashSet<>();
        violations.forEach(v -> reasons.add(v.reason()));
        return reasons;
    }
}
