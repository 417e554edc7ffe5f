package dev.aimnext.operators.finetune.profile.model;

import java.util.Optional;

/**
 * The sizes of a decoder-only transformer that decide its parameter count, its LoRA adapter size
 * and its KV cache: everything the profile generator needs from a HuggingFace config.json, already
 * resolved (defaults applied, {@code head_dim} chosen, nested {@code text_config} flattened).
 *
 * <p>The MLP is the gated (SwiGLU/GeGLU) form of Llama, Mistral, Qwen, Gemma and Phi-3: gate, up
 * and down projections of {@code hidden × intermediate}.
 *
 * @param modelType {@code model_type}, e.g. {@code llama}, {@code qwen2}, {@code gemma3_text}
 * @param headDim per-head width; {@code head_dim} when the config sets it (Qwen3 128, Gemma 256), else hidden/heads
 * @param qkvBias q, k and v projections carry a bias (Qwen2, or {@code attention_bias})
 * @param outputBias the attention output projection carries a bias ({@code attention_bias})
 * @param mlpBias the MLP projections carry biases ({@code mlp_bias})
 * @param fusedProjections q/k/v and gate/up are fused into {@code qkv_proj} and {@code gate_up_proj}
 *     (Phi-3): same parameter count, but one LoRA adapter per fused Linear
 * @param normsPerLayer RMSNorms of width hidden per layer: 2 (pre-attention, pre-MLP), 4 for Gemma 2/3
 * @param qkNorm per-head RMSNorms of width head_dim on q and k (Qwen3, Gemma 3)
 * @param moe the sparse MLP, or null for a dense model
 * @param slidingWindow attention window in tokens, 0 when every layer attends to the full context
 * @param slidingLayers how many of the layers use {@code slidingWindow}
 * @param maxPositionEmbeddings the trained context length, 0 when the config does not say
 * @param torchDtype the dtype the checkpoint is stored in, or null
 */
public record ModelShape(
        String modelType,
        int hiddenSize,
        int intermediateSize,
        int layers,
        int attentionHeads,
        int kvHeads,
        int headDim,
        int vocabSize,
        boolean tiedEmbeddings,
        boolean qkvBias,
        boolean outputBias,
        boolean mlpBias,
        boolean fusedProjections,
        int normsPerLayer,
        boolean qkNorm,
        MixtureOfExperts moe,
        int slidingWindow,
        int slidingLayers,
        int maxPositionEmbeddings,
        String torchDtype) {

    public ModelShape {
        if (attentionHeads % kvHeads != 0) {
            throw new InvalidModelConfigException("num_attention_heads (" + attentionHeads
                    + ") is not a multiple of num_key_value_heads (" + kvHeads + ")");
        }
        if (slidingLayers < 0 || slidingLayers > layers || (slidingLayers > 0 && slidingWindow < 1)) {
            throw new InvalidModelConfigException("inconsistent sliding window: " + slidingLayers
                    + " of " + layers + " layers with a window of " + slidingWindow);
        }
    }

    public Optional<MixtureOfExperts> mixtureOfExperts() {
        return Optional.ofNullable(moe);
    }

    /** Width of the query projection's output: heads × head_dim, which need not equal hidden (Gemma). */
    public int queryWidth() {
        return attentionHeads * headDim;
    }

    /** Width of the key (and of the value) projection's output: kv_heads × head_dim (GQA). */
    public int keyValueWidth() {
        return kvHeads * headDim;
    }

    /**
     * MLP width a token actually passes through: the dense width, or for MoE the k routed experts
     * plus the shared expert. Sizes activations, not weights.
     */
    public long activeIntermediateSize() {
        if (moe == null) {
            return intermediateSize;
        }
        return (long) moe.expertsPerToken() * moe.expertIntermediateSize() + moe.sharedExpertIntermediateSize();
    }
}
