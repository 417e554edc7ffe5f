package dev.aimnext.operators.finetune.plan;

/**
 * No micro-batch and checkpointing choice fits the job on its GPU. The message says how many GiB
 * the smallest setting needs, by part, against what {@code resources.gpuMemoryGb} leaves, and what
 * to change.
 */
public final class PlanDoesNotFitException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public PlanDoesNotFitException(String message) {
        super(message);
    }
}
