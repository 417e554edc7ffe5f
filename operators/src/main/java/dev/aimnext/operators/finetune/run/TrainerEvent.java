package dev.aimnext.operators.finetune.run;

import dev.aimnext.schemas.event.TrainingEventKind;

import java.util.Objects;

/**
 * One event line from a trainer, as parsed by {@link EventLineParser}. Fields a kind does not carry
 * are null; {@code gradNorm} and {@code etaSec} are metrics only and never reach Kafka.
 *
 * @param totalSteps the run's step count ({@code STARTED} only)
 * @param checkpointPath a checkpoint folder ({@code CHECKPOINT}) or the final output ({@code COMPLETED})
 */
public record TrainerEvent(
        TrainingEventKind kind,
        String runId,
        long step,
        double epoch,
        long emittedAtMs,
        Double loss,
        Double evalLoss,
        Double learningRate,
        Double gradNorm,
        Double tokensPerSec,
        Long gpuMemoryBytes,
        Double etaSec,
        Long totalSteps,
        String checkpointPath,
        String message) {

    public TrainerEvent {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(runId, "runId");
    }
}
