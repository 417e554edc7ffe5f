package dev.aimnext.jobs.finetune.k8s;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;

import org.junit.jupiter.api.Test;

import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;

class PodOutcomeTest {

    static Pod running(String name) {
        return new PodBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withNodeName("gpu-node-1").endSpec()
                .withNewStatus().withPhase("Running").addNewContainerStatus().withName("trainer").withNewState()
                .withNewRunning().withStartedAt("2026-11-28T01:00:00Z").endRunning().endState().endContainerStatus()
                .endStatus().build();
    }

    static Pod terminated(String name, int exitCode) {
        return new PodBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewStatus().withPhase(exitCode == 0 ? "Succeeded" : "Failed").addNewContainerStatus()
                .withName("trainer").withNewState().withNewTerminated().withExitCode(exitCode).endTerminated().endState()
                .endContainerStatus().endStatus().build();
    }

    static Pod waiting(String name, String reason, String message) {
        return new PodBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewStatus().withPhase("Pending").addNewContainerStatus().withName("trainer").withNewState()
                .withNewWaiting().withReason(reason).withMessage(message).endWaiting().endState().endContainerStatus()
                .endStatus().build();
    }

    @Test
    void theTrainersOwnExitCodePassesThrough() {
        for (int code : new int[] {0, 2, 75, 1, 139}) {
            assertThat(PodOutcome.exitCode(terminated("p", code), false, false, false)).hasValue(code);
            assertThat(PodOutcome.exitCode(terminated("p", code), true, true, true)).hasValue(code);
        }
    }

    @Test
    void aRunningOrPendingPodHasNoExitCodeYet() {
        assertThat(PodOutcome.exitCode(running("p"), false, true, false)).isEmpty();
        assertThat(PodOutcome.exitCode(waiting("p", "ContainerCreating", null), false, false, false)).isEmpty();
        assertThat(PodOutcome.exitCode(null, false, false, false)).isEmpty();
        assertThat(PodOutcome.started(running("p"))).isTrue();
        assertThat(PodOutcome.started(waiting("p", "ImagePullBackOff", "x"))).isFalse();
        assertThat(PodOutcome.started(terminated("p", 1))).isTrue();
    }

    @Test
    void aPodThatEndedWithoutAnExitCodeGetsOneByWhatWasAsked() {
        assertThat(PodOutcome.exitCode(running("p"), true, true, false)).isEqualTo(OptionalInt.of(PodOutcome.PAUSED));
        assertThat(PodOutcome.exitCode(running("p"), true, true, true)).isEqualTo(OptionalInt.of(PodOutcome.KILLED));
        assertThat(PodOutcome.exitCode(running("p"), true, false, false)).isEqualTo(OptionalInt.of(PodOutcome.LOST));
        Pod evicted = new PodBuilder(running("p")).editStatus().withPhase("Failed").withReason("Evicted")
                .withContainerStatuses().endStatus().build();
        assertThat(PodOutcome.exitCode(evicted, false, false, false)).isEqualTo(OptionalInt.of(PodOutcome.LOST));
        assertThat(PodOutcome.exitCode(null, true, true, false)).isEqualTo(OptionalInt.of(PodOutcome.PAUSED));
    }

    @Test
    void holdUpsNameTheReason() {
        assertThat(PodOutcome.holdUp(waiting("p", "ImagePullBackOff", "Back-off pulling image \"x\"")))
                .hasValue("ImagePullBackOff: Back-off pulling image \"x\"");
        assertThat(PodOutcome.holdUp(waiting("p", "ContainerCreating", null))).isEmpty();
        Pod unschedulable = new PodBuilder().withNewMetadata().withName("p").endMetadata().withNewStatus()
                .withPhase("Pending").addNewCondition().withType("PodScheduled").withStatus("False")
                .withReason("Unschedulable").withMessage("0/4 nodes are available: 4 Insufficient amd.com/gpu.")
                .endCondition().endStatus().build();
        assertThat(PodOutcome.holdUp(unschedulable))
                .hasValue("Unschedulable: 0/4 nodes are available: 4 Insufficient amd.com/gpu.");
        assertThat(PodOutcome.holdUp(running("p"))).isEmpty();
    }
}
