package dev.aimnext.operators.guardrails.stage;

import dev.aimnext.schemas.event.GuardrailAction;
import dev.aimnext.schemas.event.GuardrailFinding;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** One-line, value-free summaries of a verdict, e.g. "redact: 2x EMAIL_ADDRESS (mask)". */
public final class VerdictReasons {

    private VerdictReasons() {}

    public static String summarize(GuardrailAction action, List<GuardrailFinding> findings) {
        if (findings.isEmpty()) {
            return action.name().toLowerCase() + ": no findings";
        }
        Map<String, Integer> counts = new TreeMap<>();
        for (GuardrailFinding f : findings) {
            counts.merge(f.getType() + " (" + f.getTreatment() + ")", 1, Integer::sum);
        }
        StringBuilder reason = new StringBuilder(action.name().toLowerCase()).append(':');
        String separator = " ";
        for (Map.Entry<String, Integer> entry : counts.entrySet()) {
            reason.append(separator).append(entry.getValue()).append("x ").append(entry.getKey());
            separator = ", ";
        }
        return reason.toString();
    }
}
