package dev.aimnext.operators.guardrails.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the model guardrails of a stage decide about one text, from its scores and the packs whose
 * inference failed. A guardrail triggers when its score is at or above its threshold; a guardrail
 * whose pack failed applies its {@link OnError}. The text is blocked when a {@code block}
 * guardrail triggers or a {@code fail_closed} guardrail failed.
 *
 * @param triggered guardrails whose score reached the threshold, in policy order
 * @param failed guardrails without a score because inference failed, in policy order
 */
public record ModelDecision(List<Triggered> triggered, List<Failed> failed) {

    /** A guardrail whose score reached its threshold. */
    public record Triggered(BoundGuardrail guardrail, double score) {}

    /** A guardrail whose pack failed; {@code cause} is a short, value-free kind such as {@code timeout}. */
    public record Failed(BoundGuardrail guardrail, String cause) {}

    public ModelDecision {
        triggered = List.copyOf(triggered);
        failed = List.copyOf(failed);
    }

    /**
     * @param scores score per key, as the packs gave them
     * @param failures failure cause per pack alias, for packs that gave no scores
     */
    public static ModelDecision decide(StageGuardrails stage, Map<String, Double> scores, Map<String, String> failures) {
        List<Triggered> triggered = new ArrayList<>();
        List<Failed> failed = new ArrayList<>();
        for (BoundGuardrail g : stage.guardrails()) {
            String cause = failures.get(g.pack());
            Double score = scores.get(g.name());
            if (cause == null && score == null) {
                cause = "no score"; // a pack that answered without this key; treated as a failure, never as 0
            }
            if (cause != null) {
                failed.add(new Failed(g, cause));
            } else if (score >= g.threshold()) {
                triggered.add(new Triggered(g, score));
            }
        }
        return new ModelDecision(triggered, failed);
    }

    /** True when the text must not pass. */
    public boolean blocked() {
        return triggered.stream().anyMatch(t -> t.guardrail().action() == ModelAction.BLOCK)
                || failed.stream().anyMatch(f -> f.guardrail().onError() == OnError.FAIL_CLOSED);
    }

    /** The guardrails that blocked, by score or by failing closed, in policy order. */
    public List<String> blockedBy() {
        List<String> names = new ArrayList<>();
        triggered.stream().filter(t -> t.guardrail().action() == ModelAction.BLOCK)
                .forEach(t -> names.add(t.guardrail().name()));
        failed.stream().filter(f -> f.guardrail().onError() == OnError.FAIL_CLOSED)
                .forEach(f -> names.add(f.guardrail().name()));
        return names;
    }

    /**
     * Value-free phrases for a verdict's reason, e.g. {@code prompt_injection 0.974 >= 0.830 (block)}
     * or {@code toxicity failed closed (timeout)}; empty when nothing triggered or failed.
     */
    public List<String> reasonParts() {
        List<String> parts = new ArrayList<>();
        for (Triggered t : triggered) {
            parts.add(String.format(Locale.ROOT, "%s %.3f >= %.3f (%s)", t.guardrail().name(), t.score(),
                    t.guardrail().threshold(), t.guardrail().action().wireName()));
        }
        for (Failed f : failed) {
            parts.add(f.guardrail().name() + " failed "
                    + (f.guardrail().onError() == OnError.FAIL_OPEN ? "open" : "closed") + " (" + f.cause() + ")");
        }
        return parts;
    }
}
