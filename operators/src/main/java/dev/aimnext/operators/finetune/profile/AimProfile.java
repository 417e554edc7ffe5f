package dev.aimnext.operators.finetune.profile;

import dev.aimnext.operators.finetune.profile.memory.ServingPlan;
import dev.aimnext.operators.finetune.profile.memory.TrainingMemory;
import dev.aimnext.operators.finetune.profile.model.ModelShape;
import dev.aimnext.operators.finetune.profile.model.ParameterCount;

/** A generated profile that fits its partition: the model's sizes and its training and serving memory. */
public record AimProfile(
        ProfileRequest request,
        ModelShape shape,
        ParameterCount parameters,
        TrainingMemory training,
        ServingPlan serving) {}
