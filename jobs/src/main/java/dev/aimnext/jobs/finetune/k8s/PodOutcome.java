package dev.aimnext.jobs.finetune.k8s;

import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What a trainer pod's status says about the attempt: whether the trainer container runs, and its
 * exit code once it stopped. The exit code is the container's own ({@code state.terminated.exitCode}),
 * so the protocol's codes (0, 75, 2, other) pass through unchanged. A pod that ended without one (it
 * never started, or it vanished with its node) gets a code the driver's rules already handle.
 */
public final class PodOutcome {

    /** The pod was deleted for a pause before the trainer ran: nothing was lost, so it counts as paused. */
    public static final int PAUSED = 75;
    /** Killed by the driver (stall, shutdown): what SIGKILL gives a local process. */
    public static final int KILLED = 137;
    /** Gone without an exit code and without being asked to stop (node lost, deleted by someone): a crash. */
    public static final int LOST = 1;

    private PodOutcome() {}

    /** The trainer container's state, if the pod reports one. */
    public static Optional<ContainerState> trainerState(Pod pod) {
        if (pod == null || pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
            return Optional.empty();
        }
        return pod.getStatus().getContainerStatuses().stream()
                .filter(s -> TrainerJobTemplate.CONTAINER.equals(s.getName()))
                .map(ContainerStatus::getState)
                .filter(s -> s != null)
                .findFirst();
    }

    /** Whether the trainer container has started (runs or ran), so its log can be read. */
    public static boolean started(Pod pod) {
        return trainerState(pod).map(s -> s.getRunning() != null || s.getTerminated() != null).orElse(false);
    }

    /** The container's exit code once it terminated. */
    public static OptionalInt terminatedExitCode(Pod pod) {
        return trainerState(pod).filter(s -> s.getTerminated() != null && s.getTerminated().getExitCode() != null)
                .map(s -> OptionalInt.of(s.getTerminated().getExitCode()))
                .orElse(OptionalInt.empty());
    }

    /**
     * The attempt's exit code, or empty while it may still produce one.
     *
     * @param lastSeen the pod as last seen (also after its deletion), or null if none was ever seen
     * @param gone whether the pod no longer exists
     */
    public static OptionalInt exitCode(Pod lastSeen, boolean gone, boolean pauseRequested, boolean killRequested) {
        OptionalInt own = terminatedExitCode(lastSeen);
        if (own.isPresent()) {
            return own;
        }
        String phase = lastSeen == null || lastSeen.getStatus() == null ? null : lastSeen.getStatus().getPhase();
        boolean ended = gone || "Failed".equals(phase) || "Succeeded".equals(phase);
        if (!ended) {
            return OptionalInt.empty();
        }
        if (killRequested) {
            return OptionalInt.of(KILLED);
        }
        return OptionalInt.of(pauseRequested ? PAUSED : LOST);
    }

    /**
     * Why the pod does not run the trainer yet, as one log line ({@code ImagePullBackOff: ...},
     * {@code Unschedulable: 0/4 nodes have amd.com/gpu}), or empty when nothing holds it up.
     */
    public static Optional<String> holdUp(Pod pod) {
        Optional<ContainerStateWaiting> waiting = trainerState(pod).map(ContainerState::getWaiting);
        if (waiting.isPresent() && waiting.get().getReason() != null
                && !"ContainerCreating".equals(waiting.get().getReason())) {
            return Optional.of(waiting.get().getReason() + describe(waiting.get().getMessage()));
        }
        List<PodCondition> conditions = pod == null || pod.getStatus() == null ? null : pod.getStatus().getConditions();
        if (conditions != null) {
            for (PodCondition c : conditions) {
                if ("PodScheduled".equals(c.getType()) && "False".equals(c.getStatus()) && c.getReason() != null) {
                    return Optional.of(c.getReason() + describe(c.getMessage()));
                }
            }
        }
        return Optional.empty();
    }

    private static String describe(String message) {
        return message == null || message.isBlank() ? "" : ": " + message.strip();
    }
}
