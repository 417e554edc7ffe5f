package dev.aimnext.operators.guardrails.stage;

import dev.aimnext.operators.guardrails.policy.ModelDecision;
import dev.aimnext.schemas.event.GuardrailFinding;

import java.util.ArrayList;
import java.util.List;

/** The findings of model guardrails that triggered: one per guardrail, for the whole text. */
public final class ModelFindings {

    private ModelFindings() {}

    /**
     * A model scores a whole text, so a finding covers it all: {@code start} 0 and {@code end} the
     * scored text's length. The type and the guardrail are the guardrail's name.
     *
     * @param location {@code request} for a request's model text, {@code text} for a plain text
     */
    public static List<GuardrailFinding> of(ModelDecision decision, String location, int textLength) {
        List<GuardrailFinding> findings = new ArrayList<>();
        for (ModelDecision.Triggered t : decision.triggered()) {
            findings.add(new GuardrailFinding(t.guardrail().name(), t.guardrail().name(), t.score(), location, 0,
                    textLength, t.guardrail().action().wireName()));
        }
        return findings;
    }
}
