package dev.aimnext.operators.dataset.validate;

import dev.aimnext.operators.dataset.format.ConversationDraft;
import dev.aimnext.operators.dataset.format.ConversationNormalizer;
import dev.aimnext.operators.dataset.format.DraftMessage;
import dev.aimnext.operators.dataset.model.ChatMessage;
import dev.aimnext.operators.dataset.model.NormalizedConversation;
import dev.aimnext.operators.dataset.model.Role;
import dev.aimnext.operators.dataset.read.SourceRow;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Runs every validation rule on a row and returns all reasons it fails, or the validated
 * {@link NormalizedConversation}. This is a superset of OpenAI's fine-tuning data checks; the
 * extra rules catch what breaks chat templates or wastes training compute.
 *
 * <p>The row-shape rules (not an object, no conversation) run first; when one fails, the
 * per-message rules would only restate it, so they are skipped.
 *
 * <pre>{@code
 * RowValidator validator = RowValidator.builder()
 *         .maxTokens(tokenizer::count, 4096, OverLengthPolicy.TRUNCATE)
 *         .build();
 * }</pre>
 */
public final class RowValidator {

    private static final List<ValidationRule> SHAPE_RULES = List.of(new NotAnObjectRule(), new MissingMessagesRule());

    private final List<ValidationRule> rules;
    private final ConversationTruncator truncator;

    private RowValidator(List<ValidationRule> rules, ConversationTruncator truncator) {
        this.rules = List.copyOf(rules);
        this.truncator = truncator;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Reads, normalizes and validates one raw row; a row that is not JSON is rejected as such. */
    public ValidationResult validate(SourceRow row, ConversationNormalizer normalizer) {
        if (!row.parsed()) {
            return new ValidationResult(row.rowId(),
                    List.of(new Violation(ReasonCode.MALFORMED_JSON, "row: " + row.parseError())), null);
        }
        return validate(normalizer.normalize(row.rowId(), row.node()));
    }

    public ValidationResult validate(ConversationDraft draft) {
        List<Violation> violations = new ArrayList<>();
        for (ValidationRule rule : SHAPE_RULES) {
            violations.addAll(rule.check(draft));
        }
        if (violations.isEmpty()) {
            for (ValidationRule rule : rules) {
                violations.addAll(rule.check(draft));
            }
        }
        if (!violations.isEmpty()) {
            return new ValidationResult(draft.rowId(), violations, null);
        }
        NormalizedConversation conversation = new NormalizedConversation(draft.rowId(), draft.format(),
                toMessages(draft.messages()), toMessages(draft.rejected()), draft.toolsJson());
        if (truncator != null) {
            Optional<NormalizedConversation> fitted = truncator.fit(conversation);
            // MaxTokensRule already rejected rows whose first exchange is too long.
            conversation = fitted.orElseThrow();
        }
        return new ValidationResult(draft.rowId(), List.of(), conversation);
    }

    private static List<ChatMessage> toMessages(List<DraftMessage> drafts) {
        List<ChatMessage> out = new ArrayList<>(drafts.size());
        for (DraftMessage d : drafts) {
            out.add(new ChatMessage(Role.fromWireName(d.role()).orElseThrow(), d.text(), d.weight(), d.toolCall()));
        }
        return out;
    }

    /** Configures the optional checks; the structural and conversation rules are always on. */
    public static final class Builder {

        private MaxTokensRule maxTokensRule;
        private ConversationTruncator truncator;

        private Builder() {
        }

        /** Enables the token limit with the given counter and policy. */
        public Builder maxTokens(TokenCounter counter, int maxTokens, OverLengthPolicy policy) {
            this.maxTokensRule = new MaxTokensRule(counter, maxTokens, policy);
            this.truncator = policy == OverLengthPolicy.TRUNCATE ? new ConversationTruncator(counter, maxTokens) : null;
            return this;
        }

        public RowValidator build() {
            List<ValidationRule> rules = new ArrayList<>(List.of(
                    new MessageMissingKeyRule(),
                    new UnrecognizedKeyRule(),
                    new UnrecognizedRoleRule(),
                    new MissingContentRule(),
                    new EmptyTextRule(),
                    new NoAssistantMessageRule(),
                    new RoleAlternationRule(),
                    new EndsOnUserTurnRule()));
            if (maxTokensRule != null) {
                rules.add(maxTokensRule);
            }
            return new RowValidator(rules, truncator);
        }
    }
}
