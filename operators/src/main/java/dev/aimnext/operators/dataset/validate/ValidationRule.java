package dev.aimnext.operators.dataset.validate;

import dev.aimnext.operators.dataset.format.ConversationDraft;
import java.util.List;

/**
 * One check on a normalized row. Rules are independent and report every offending position, so
 * a rejected row lists all of its problems at once and a user fixes a file in one pass.
 */
public interface ValidationRule {

    /** The reason this rule reports. */
    ReasonCode reason();

    /** The violations found; empty when the row passes. */
    List<Violation> check(ConversationDraft row);
}
