package dev.aimnext.operators.guardrails.stage;

import dev.aimnext.operators.guardrails.policy.ModelDecision;
import dev.aimnext.schemas.event.GuardrailAction;
import dev.aimnext.schemas.event.GuardrailFinding;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One-line, value-free summaries of a verdict, e.g. "redact: 2x EMAIL_ADDRESS (mask)" or
 * "block: prompt_injection 0.974 >= 0.830 (block), 1x EMAIL_ADDRESS (mask)".
 */
public final class VerdictReasons {

    private VerdictReasons() {}

    public static String summarize(GuardrailAction action, List<GuardrailFinding> findings) {
        return summarize(action, findings, List.of());
    }

    /**
     * @param piiFindings the PII findings only; model guardrails speak through {@code modelParts}
     * @param modelParts {@link ModelDecision#reasonParts()}, listed first
     */
    public static String summarize(GuardrailAction action, List<GuardrailFinding> piiFindings, List<String> modelParts) {
        if (piiFindings.isEmpty() && modelParts.isEmpty()) {
            return action.name().toLowerCase() + ": no findings";
        }
        Map<String, Integer> counts = new TreeMap<>();
        for (GuardrailFinding f : piiFindings) {
            counts.merge(f.getType() + " (" + f.getTreatment() + ")", 1, Integer::sum);
        }
        StringBuilder reason = new StringBuilder(action.name().toLowerCase()).append(':');
        String separator = " ";
        for (String part : modelParts) {
            reason.append(separator).append(part);
            separator = ", ";
        }
        for (Map.Entry<String, Integer> entry : counts.entrySet()) {
            reason.append(separator).append(entry.getValue()).append("x ").append(entry.getKey());
            separator = ", ";
        }
        return reason.toString();
    }
}
