package dev.aimnext.operators.finetune.run;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RunStateTest {

    @Test
    void aRunGoesThroughPreparationRetriesAndAPauseToCompletion() {
        RunRecord run = new RunRecord("r1", 1);
        run.moveTo(RunState.PREPARING, null, 2);
        run.moveTo(RunState.RUNNING, "attempt 1", 3);
        run.moveTo(RunState.RETRYING, "attempt 1 crashed", 4);
        run.moveTo(RunState.RUNNING, "attempt 2", 5);
        run.moveTo(RunState.PAUSED, "paused", 6);
        run.moveTo(RunState.RUNNING, "attempt 3", 7);
        run.moveTo(RunState.COMPLETED, "done", 8);

        assertThat(run.state()).isEqualTo(RunState.COMPLETED);
        assertThat(run.message()).isEqualTo("done");
        assertThat(run.updatedAtMs()).isEqualTo(8);
    }

    @Test
    void completedIsFinal() {
        assertThat(RunState.COMPLETED.successors()).isEmpty();
        assertThat(RunState.COMPLETED.resumable()).isFalse();
        assertThatThrownBy(() -> RunState.COMPLETED.moveTo(RunState.RUNNING))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("a run cannot go from COMPLETED to RUNNING");
    }

    @Test
    void pausedAndFailedRunsResumeStraightToRunning() {
        for (RunState s : new RunState[] {RunState.PAUSED, RunState.FAILED}) {
            assertThat(s.resumable()).isTrue();
            assertThat(s.successors()).containsExactly(RunState.RUNNING);
        }
    }

    @Test
    void illegalShortcutsAreRefused() {
        assertThat(RunState.CREATED.canMoveTo(RunState.RUNNING)).as("the dataset comes first").isFalse();
        assertThat(RunState.RUNNING.canMoveTo(RunState.PREPARING)).isFalse();
        assertThat(RunState.RETRYING.canMoveTo(RunState.COMPLETED)).as("only an attempt completes").isFalse();
        assertThat(RunState.PAUSED.canMoveTo(RunState.COMPLETED)).isFalse();
        RunRecord run = new RunRecord("r1", 1);
        assertThatThrownBy(() -> run.moveTo(RunState.COMPLETED, "x", 2)).isInstanceOf(IllegalStateException.class);
        assertThat(run.state()).as("a refused move changes nothing").isEqualTo(RunState.CREATED);
    }

    @Test
    void activeStatesAreTheOnesADriverWorksIn() {
        assertThat(RunState.values()).filteredOn(RunState::active)
                .containsExactly(RunState.PREPARING, RunState.RUNNING, RunState.RETRYING);
    }
}
