package dev.aimnext.operators.finetune.run;

import org.junit.jupiter.api.Test;

import static dev.aimnext.operators.finetune.run.RetryPolicy.Decision.COMPLETE;
import static dev.aimnext.operators.finetune.run.RetryPolicy.Decision.FAIL;
import static dev.aimnext.operators.finetune.run.RetryPolicy.Decision.PAUSE;
import static dev.aimnext.operators.finetune.run.RetryPolicy.Decision.RETRY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RetryPolicyTest {

    private final RetryPolicy twoRetries = new RetryPolicy(2);

    @Test
    void exitCodesMapAsTheProtocolSays() {
        assertThat(twoRetries.decide(AttemptEnd.exited(0, false, true), 0)).isEqualTo(COMPLETE);
        assertThat(twoRetries.decide(AttemptEnd.exited(75, false, false), 0)).isEqualTo(PAUSE);
        assertThat(twoRetries.decide(AttemptEnd.exited(2, false, false), 0)).as("bad config: no retry").isEqualTo(FAIL);
        assertThat(twoRetries.decide(AttemptEnd.exited(1, false, false), 0)).isEqualTo(RETRY);
        assertThat(twoRetries.decide(AttemptEnd.exited(137, false, false), 1)).isEqualTo(RETRY);
    }

    @Test
    void crashesAndStallsAreRetriedUntilTheRetriesRunOut() {
        assertThat(twoRetries.decide(AttemptEnd.stall(), 0)).isEqualTo(RETRY);
        assertThat(twoRetries.decide(AttemptEnd.stall(), 1)).isEqualTo(RETRY);
        assertThat(twoRetries.decide(AttemptEnd.stall(), 2)).isEqualTo(FAIL);
        assertThat(new RetryPolicy(0).decide(AttemptEnd.exited(1, false, false), 0)).isEqualTo(FAIL);
    }

    @Test
    void exitZeroWithoutACompletedEventIsNotSuccess() {
        assertThat(twoRetries.decide(AttemptEnd.exited(0, false, false), 0)).isEqualTo(RETRY);
        assertThat(AttemptEnd.exited(0, false, false).describe()).isEqualTo("exited 0 without a COMPLETED event");
    }

    @Test
    void aRequestedPauseIsNeverTurnedIntoARetry() {
        assertThat(twoRetries.decide(AttemptEnd.exited(143, true, false), 0)).isEqualTo(PAUSE);
        assertThat(twoRetries.decide(AttemptEnd.exited(0, true, true), 0)).as("finished before the pause").isEqualTo(COMPLETE);
        assertThat(twoRetries.decide(AttemptEnd.exited(2, true, false), 0)).isEqualTo(FAIL);
    }

    @Test
    void describesHowAnAttemptEnded() {
        assertThat(AttemptEnd.stall().describe()).isEqualTo("stalled (killed)");
        assertThat(AttemptEnd.exited(137, false, false).describe()).isEqualTo("crashed (exit 137, signal 9)");
        assertThat(AttemptEnd.exited(75, true, false).describe()).isEqualTo("paused (exit 75)");
        assertThat(AttemptEnd.exited(143, true, false).describe())
                .isEqualTo("stopped by the pause request without saving (exit 143)");
    }

    @Test
    void negativeRetriesAreRefused() {
        assertThatThrownBy(() -> new RetryPolicy(-1)).hasMessageContaining("--retries must not be negative");
    }
}
