package dev.aimnext.operators.finetune.profile.memory;

import dev.aimnext.operators.finetune.profile.adapter.LoraSpec;
import dev.aimnext.operators.finetune.profile.model.ModelShape;
import dev.aimnext.operators.finetune.profile.model.ParameterCount;
import dev.aimnext.operators.finetune.profile.model.WeightDtype;

/**
 * GPU memory of one fine-tuning process, by part. All sizes are bytes.
 *
 * <ul>
 *   <li>full, AdamW, mixed precision: 18 bytes per parameter, bf16 weights + fp32 master (6),
 *       fp32 gradients (4) and Adam m, v (8); 16 in pure fp32, which needs no master copy;
 *   <li>LoRA: the frozen base at its dtype, plus 16 bytes per trainable parameter (fp32 adapter
 *       weight 4, gradient 4, Adam 8);
 *   <li>QLoRA: the same over an NF4 base ({@link WeightDtype#NF4}), whose embeddings, head and
 *       norms stay in the compute dtype.
 * </ul>
 *
 * <p>Activations of a decoder layer with FlashAttention/SDPA (no s×s score matrix kept), per token
 * and in the compute dtype: the two norm inputs and outputs (4h), q/k/v (H·d + 2·K·d), the
 * attention output (H·d) and the MLP's gate, up, activation and product (4·I, with I the width a
 * token passes through). Checkpointing keeps only each layer's input (h per token) and recomputes
 * one layer at a time. The logits add V per token in the compute dtype plus their fp32 upcast for
 * the loss.
 *
 * @param weightBytes weights held on the GPU: frozen base, trainable copies and fp32 masters
 * @param activationBytes activations at {@link #setup()}
 * @param activationBytesOtherSetting activations with gradient checkpointing the other way
 */
public record TrainingMemory(
        FinetuneMethod method,
        TrainingSetup setup,
        long trainableParameters,
        long weightBytes,
        long gradientBytes,
        long optimizerBytes,
        long activationBytes,
        long activationBytesOtherSetting) {

    /** Bytes of fp32 Adam moments m and v per trainable parameter. */
    static final int ADAM_BYTES = 8;
    static final int FP32 = 4;

    public long totalBytes() {
        return weightBytes + gradientBytes + optimizerBytes + activationBytes;
    }

    public static TrainingMemory estimate(ModelShape shape, ParameterCount params, FinetuneMethod method,
            WeightDtype dtype, LoraSpec lora, TrainingSetup setup) {
        long weights;
        long trainable;
        switch (method) {
            case FULL -> {
                trainable = params.total();
                // Mixed precision keeps an fp32 master beside the half-precision working copy.
                long master = dtype == WeightDtype.FP32 ? 0 : (long) FP32 * trainable;
                weights = dtype.bytes(trainable) + master;
            }
            case LORA -> {
                trainable = lora.trainableParameters(shape);
                weights = dtype.bytes(params.total()) + (long) FP32 * trainable;
            }
            case QLORA -> {
                trainable = lora.trainableParameters(shape);
                weights = qloraBaseBytes(params, dtype) + (long) FP32 * trainable;
            }
            default -> throw new IllegalStateException(method.toString());
        }
        return new TrainingMemory(method, setup, trainable, weights, (long) FP32 * trainable,
                (long) ADAM_BYTES * trainable, activationBytes(shape, dtype, setup),
                activationBytes(shape, dtype, setup.withCheckpointing(!setup.gradientCheckpointing())));
    }

    /** The 4-bit base: NF4 decoder Linears, the rest in the compute dtype. */
    public static long qloraBaseBytes(ParameterCount params, WeightDtype computeDtype) {
        return WeightDtype.NF4.bytes(params.quantizableLinear()) + computeDtype.bytes(params.unquantized());
    }

    /** Activation bytes of one training step at {@code setup}, by the formula in the class comment. */
    public static long activationBytes(ModelShape s, WeightDtype dtype, TrainingSetup setup) {
        long bytes = dtype == WeightDtype.FP32 ? 4 : 2;
        long tokens = (long) setup.sequenceLength() * setup.microBatchSize();
        long perTokenPerLayer = 4L * s.hiddenSize() + s.queryWidth() + 2L * s.keyValueWidth() + s.queryWidth()
                + 4L * s.activeIntermediateSize();
        long layer = bytes * tokens * perTokenPerLayer;
        long logits = tokens * s.vocabSize() * (bytes + FP32);
        long layers = setup.gradientCheckpointing()
                ? (long) s.layers() * bytes * tokens * s.hiddenSize() + layer
                : s.layers() * layer;
        return layers + logits;
    }
}
