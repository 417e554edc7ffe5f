package dev.aimnext.operators.finetune.template;

import dev.aimnext.operators.finetune.profile.adapter.LoraTarget;
import dev.aimnext.operators.finetune.profile.memory.FinetuneMethod;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A fine-tuning recipe ({@code templates/chat.yaml}, {@code code.yaml}, {@code summarization.yaml}):
 * the method, its hyperparameters, LoRA settings with target modules per architecture, and the
 * dataset preparation options (the keys of a {@code prepare.yaml}, checked by the dataset job).
 *
 * @param name the template's name
 * @param description what it is for
 * @param method full, lora or qlora
 * @param hyperparameters optimizer and schedule
 * @param lora rank, alpha, dropout; {@code null} for full fine-tuning
 * @param targetsByArchitecture LoRA targets per config.json {@code model_type}, with a {@code default} entry
 * @param dataset dataset preparation settings by key, as strings
 */
public record TrainingTemplate(String name, String description, FinetuneMethod method, Hyperparameters hyperparameters,
        LoraSettings lora, Map<String, Set<LoraTarget>> targetsByArchitecture, Map<String, String> dataset) {

    /** The architecture key that applies to any model_type without its own entry. */
    public static final String DEFAULT_ARCHITECTURE = "default";

    /** LoRA's shape: rank r, scaling alpha and dropout on the adapter input. */
    public record LoraSettings(int rank, int alpha, double dropout) {}

    public TrainingTemplate {
        targetsByArchitecture = Map.copyOf(targetsByArchitecture);
        dataset = Map.copyOf(dataset);
    }

    /** The targets for a config.json {@code model_type}, falling back to the default entry. */
    public Set<LoraTarget> targetsFor(String modelType) {
        return Optional.ofNullable(targetsByArchitecture.get(modelType))
                .orElseGet(() -> targetsByArchitecture.getOrDefault(DEFAULT_ARCHITECTURE, Set.of()));
    }
}
