package dev.aimnext.operators.guardrails.pii.anonymize;

import dev.aimnext.operators.guardrails.pii.PiiEntity;
import dev.aimnext.operators.guardrails.pii.PiiSpan;
import dev.aimnext.operators.guardrails.pii.policy.PiiAction;

import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/** Rewrites a text according to the action chosen for each of its spans. */
public final class Anonymizer {

    private Anonymizer() {}

    /**
     * @param spans non-overlapping, ordered by start
     * @param actions the action for each entity
     * @param numbering placeholder numbers, shared by all texts of one request
     * @param hasher supplies the tenant's pseudonymizer; only called when some span hashes
     * @return the rewritten text; spans with {@link PiiAction#BLOCK} or {@link PiiAction#REPORT}
     *     are left in place (a blocked request is never forwarded anyway)
     */
    public static String apply(
            String text,
            List<PiiSpan> spans,
            Function<PiiEntity, PiiAction> actions,
            MaskNumbering numbering,
            Supplier<HmacPseudonymizer> hasher) {
        if (spans.isEmpty()) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        int cursor = 0;
        for (PiiSpan span : spans) {
            PiiAction action = actions.apply(span.entity());
            if (action == PiiAction.BLOCK || action == PiiAction.REPORT) {
                continue;
            }
            out.append(text, cursor, span.start());
            String value = text.substring(span.start(), span.end());
            switch (action) {
                case MASK -> out.append(numbering.placeholder(span.entity(), value));
                case HASH -> out.append(hasher.get().token(span.entity(), value));
                case REDACT -> { }
                default -> throw new IllegalStateException("unhandled action " + action);
            }
            cursor = span.end();
        }
        out.append(text, cursor, text.length());
        return out.toString();
    }
}
