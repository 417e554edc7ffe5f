package dev.aimnext.operators.finetune.spec;

import dev.aimnext.operators.finetune.profile.adapter.LoraSpec;
import dev.aimnext.operators.finetune.profile.adapter.LoraTarget;
import dev.aimnext.operators.finetune.profile.model.ModelShape;
import dev.aimnext.operators.finetune.template.TrainingTemplate;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The adapter of a lora or qlora job. Target modules are kept per config.json {@code model_type}
 * (with a {@code default} entry), as the templates give them, and resolved to PEFT module names
 * only once the base model is known: Phi-3 fuses q/k/v and gate/up, so the same {@code [q, k, v]}
 * becomes {@code qkv_proj} there.
 *
 * @param targetsByArchitecture targets per {@code model_type}; always has a {@code default} entry
 */
public record LoraHyperparameters(int rank, int alpha, double dropout, Map<String, Set<LoraTarget>> targetsByArchitecture) {

    public LoraHyperparameters {
        targetsByArchitecture = Map.copyOf(targetsByArchitecture);
        if (!targetsByArchitecture.containsKey(TrainingTemplate.DEFAULT_ARCHITECTURE)) {
            throw new IllegalArgumentException("LoRA targets need a 'default' entry");
        }
    }

    /** The targets for a {@code model_type}, falling back to the default entry. */
    public Set<LoraTarget> targetsFor(String modelType) {
        return Optional.ofNullable(targetsByArchitecture.get(modelType))
                .orElseGet(() -> targetsByArchitecture.get(TrainingTemplate.DEFAULT_ARCHITECTURE));
    }

    /** The adapter on {@code shape}, as the memory formulas take it. */
    public LoraSpec loraSpec(ModelShape shape) {
        return new LoraSpec(rank, alpha, targetsFor(shape.modelType()));
    }

    /** PEFT {@code target_modules} for {@code shape}, e.g. {@code [qkv_proj, o_proj]} on Phi-3. */
    public List<String> targetModules(ModelShape shape) {
        return loraSpec(shape).moduleNames(shape);
    }
}
