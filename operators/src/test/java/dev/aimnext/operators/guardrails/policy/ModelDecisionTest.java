package dev.aimnext.operators.guardrails.policy;

import dev.aimnext.schemas.event.GuardrailStage;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Block, report, allow, fail open and fail closed, from scores and failures. */
class ModelDecisionTest {

    private static final BoundGuardrail INJECTION =
            new BoundGuardrail("prompt_injection", "default", ModelAction.BLOCK, 0.8, OnError.FAIL_CLOSED);
    private static final BoundGuardrail TOXICITY =
            new BoundGuardrail("toxicity", "default", ModelAction.BLOCK, 0.5, OnError.FAIL_OPEN);
    private static final BoundGuardrail SPAM =
            new BoundGuardrail("spam", "other", ModelAction.REPORT, 0.3, OnError.FAIL_OPEN);
    private static final StageGuardrails STAGE = new StageGuardrails(GuardrailStage.INPUT,
            List.of(INJECTION, TOXICITY, SPAM), Map.of());

    @Test
    void scoresBelowEveryThresholdAllow() {
        ModelDecision d = ModelDecision.decide(STAGE,
                Map.of("prompt_injection", 0.79, "toxicity", 0.1, "spam", 0.29, "other_head", 0.99), Map.of());

        assertThat(d.blocked()).isFalse();
        assertThat(d.triggered()).isEmpty();
        assertThat(d.failed()).isEmpty();
        assertThat(d.reasonParts()).isEmpty();
    }

    @Test
    void aScoreAtTheThresholdBlocks() {
        ModelDecision d = ModelDecision.decide(STAGE,
                Map.of("prompt_injection", 0.8, "toxicity", 0.1, "spam", 0.0), Map.of());

        assertThat(d.blocked()).isTrue();
        assertThat(d.blockedBy()).containsExactly("prompt_injection");
        assertThat(d.reasonParts()).containsExactly("prompt_injection 0.800 >= 0.800 (block)");
    }

    @Test
    void aReportGuardrailRecordsButDoesNotBlock() {
        ModelDecision d = ModelDecision.decide(STAGE,
                Map.of("prompt_injection", 0.1, "toxicity", 0.1, "spam", 0.95), Map.of());

        assertThat(d.blocked()).isFalse();
        assertThat(d.triggered()).containsExactly(new ModelDecision.Triggered(SPAM, 0.95));
        assertThat(d.reasonParts()).containsExactly("spam 0.950 >= 0.300 (report)");
    }

    @Test
    void aFailedPackFailsEachOfItsGuardrailsByItsOwnOnError() {
        ModelDecision d = ModelDecision.decide(STAGE, Map.of("spam", 0.1), Map.of("default", "timeout"));

        assertThat(d.blocked()).isTrue();
        assertThat(d.blockedBy()).containsExactly("prompt_injection");
        assertThat(d.failed()).containsExactly(
                new ModelDecision.Failed(INJECTION, "timeout"), new ModelDecision.Failed(TOXICITY, "timeout"));
        assertThat(d.reasonParts()).containsExactly(
                "prompt_injection failed closed (timeout)", "toxicity failed open (timeout)");
    }

    @Test
    void failOpenAloneAllows() {
        StageGuardrails stage = new StageGuardrails(GuardrailStage.INPUT, List.of(TOXICITY, SPAM), Map.of());

        ModelDecision d = ModelDecision.decide(stage, Map.of("spam", 0.1),
                Map.of("default", "inference error: IllegalStateException"));

        assertThat(d.blocked()).isFalse();
        assertThat(d.reasonParts()).containsExactly("toxicity failed open (inference error: IllegalStateException)");
    }

    @Test
    void aMissingScoreIsAFailureNeverAZero() {
        ModelDecision d = ModelDecision.decide(STAGE, Map.of("toxicity", 0.1, "spam", 0.1), Map.of());

        assertThat(d.blocked()).isTrue();
        assertThat(d.failed()).containsExactly(new ModelDecision.Failed(INJECTION, "no score"));
    }

    @Test
    void noGuardrailsNeverBlock() {
        ModelDecision d = ModelDecision.decide(StageGuardrails.none(GuardrailStage.INPUT), Map.of(), Map.of("x", "timeout"));

        assertThat(d.blocked()).isFalse();
        assertThat(d.reasonParts()).isEmpty();
    }
}
