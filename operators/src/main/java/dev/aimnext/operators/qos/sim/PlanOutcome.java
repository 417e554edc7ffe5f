package dev.aimnext.operators.qos.sim;

import dev.aimnext.schemas.event.PlanActionKind;

import java.util.List;
import java.util.Objects;

/**
 * What the simulator did with one submitted plan: per action, whether it was applied and why not.
 *
 * @param planId the plan's id
 * @param appliedAtMs the simulated time it was applied at
 * @param actions one outcome per action, in the plan's order
 */
public record PlanOutcome(String planId, long appliedAtMs, List<ActionOutcome> actions) {

    public PlanOutcome {
        Objects.requireNonNull(planId, "planId");
        actions = List.copyOf(actions);
    }

    /** Whether every action was applied. */
    public boolean fullyApplied() {
        return actions.stream().allMatch(ActionOutcome::applied);
    }

    /**
     * The outcome of one action.
     *
     * @param kind the action's kind
     * @param model the model it named, or null
     * @param applied whether it changed the simulation
     * @param note what was done, or why nothing was
     */
    public record ActionOutcome(PlanActionKind kind, String model, boolean applied, String note) {
    }
}
