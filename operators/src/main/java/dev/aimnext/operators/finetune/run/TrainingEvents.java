package dev.aimnext.operators.finetune.run;

import dev.aimnext.schemas.event.TrainingEvent;

/** Maps trainer event lines onto the Avro {@code TrainingEvent} published on {@code aim.training.events}. */
public final class TrainingEvents {

    private TrainingEvents() {}

    /**
     * The Avro event; {@code grad_norm} and {@code eta_sec} stay behind (metrics only), and
     * {@code total_steps} travels in a STARTED event's message when the trainer sent none.
     */
    public static TrainingEvent toAvro(TrainerEvent e) {
        String message = e.message();
        if (message == null && e.totalSteps() != null) {
            message = "total_steps=" + e.totalSteps();
        }
        return TrainingEvent.newBuilder()
                .setRunId(e.runId())
                .setKind(e.kind())
                .setStep(e.step())
                .setEpoch(e.epoch())
                .setLoss(e.loss())
                .setEvalLoss(e.evalLoss())
                .setLearningRate(e.learningRate())
                .setTokensPerSec(e.tokensPerSec())
                .setGpuMemoryBytes(e.gpuMemoryBytes())
                .setCheckpointPath(e.checkpointPath())
                .setMessage(message)
                .setEmittedAtMs(e.emittedAtMs())
                .build();
    }
}
