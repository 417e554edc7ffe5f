package dev.aimnext.jobs.finetune.launch;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything a backend needs to start one attempt of a trainer run.
 *
 * @param runId the run id ({@code runs/RUN_ID/})
 * @param attempt 1 for the first launch, then one more per retry or resume
 * @param runDir the run folder; the trainer writes checkpoints and {@code events.jsonl} below it
 * @param configFile the rendered trainer config (JSON, see docs/FINETUNE-PROTOCOL.md)
 * @param command the trainer command line, e.g. {@code [python3, -m, aim_trainer, --config, FILE]}
 * @param environment extra environment variables
 * @param image the trainer container image (Kubernetes backend; ignored locally)
 * @param gpus GPUs to request (Kubernetes backend)
 * @param gpuResource the extended resource name, {@code amd.com/gpu} or {@code nvidia.com/gpu}
 */
public record TrainerLaunch(String runId, int attempt, Path runDir, Path configFile, List<String> command,
        Map<String, String> environment, String image, int gpus, String gpuResource) {

    public TrainerLaunch {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(runDir, "runDir");
        Objects.requireNonNull(configFile, "configFile");
        command = List.copyOf(command);
        environment = Map.copyOf(environment);
        if (attempt < 1 || gpus < 0) {
            throw new IllegalArgumentException("attempt must be >= 1 and gpus >= 0");
        }
    }
}
