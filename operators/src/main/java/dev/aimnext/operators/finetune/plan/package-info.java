/**
 * From a validated spec to what the trainer runs:
 * {@link dev.aimnext.operators.finetune.plan.TrainingSizer} picks micro-batch, gradient
 * accumulation and gradient checkpointing with the profile generator's memory formulas, and
 * {@link dev.aimnext.operators.finetune.plan.TrainerConfigWriter} renders the trainer config of
 * docs/FINETUNE-PROTOCOL.md section 1 ({@link dev.aimnext.operators.finetune.plan.TrainerConfig}).
 */
package dev.aimnext.operators.finetune.plan;
