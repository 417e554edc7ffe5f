package dev.aimnext.operators.finetune.profile.model;

/**
 * A model's parameters by where they live, counted from its {@link ModelShape} by the Llama-style
 * formula: embeddings V·h (twice when the output head is not tied), and per layer
 * h·H·d (q) + 2·h·K·d (k, v) + H·d·h (o) + 3·h·I (gated MLP) + norms, plus q/k/v biases for Qwen2.
 * A mixture of experts replaces the MLP with E·3·h·I_moe plus a router of h·E. Fused projections
 * (Phi-3's {@code qkv_proj}, {@code gate_up_proj}) hold exactly the parameters of the separate ones.
 *
 * <p>{@link #quantizableLinear()} is the part a 4-bit load quantizes: bitsandbytes replaces the
 * decoder's {@code nn.Linear} layers only, so embeddings, the output head, norms and biases stay in
 * the compute dtype.
 *
 * @param embeddings the input token embedding, V·h
 * @param outputHead the untied LM head, V·h, or 0 when tied to the embeddings
 * @param attention q, k, v and o projection weights of all layers
 * @param mlp dense MLP or all experts' weights (and the shared expert) of all layers
 * @param router MoE router (and shared-expert gate) weights of all layers
 * @param norms every norm weight, the final norm included
 * @param biases every projection bias
 * @param inactiveExperts weights of the experts a token does not use, (E−k)·3·h·I_moe per layer
 */
public record ParameterCount(
        long embeddings,
        long outputHead,
        long attention,
        long mlp,
        long router,
        long norms,
        long biases,
        long inactiveExperts) {

    public static ParameterCount of(ModelShape s) {
        long h = s.hiddenSize();
        long q = (long) s.queryWidth();
        long kv = (long) s.keyValueWidth();
        int layers = s.layers();

        long attentionPerLayer = h * q + 2 * h * kv + q * h;
        long biasPerLayer = (s.qkvBias() ? q + 2 * kv : 0) + (s.outputBias() ? h : 0);
        long normsPerLayer = (long) s.normsPerLayer() * h + (s.qkNorm() ? 2L * s.headDim() : 0);

        long mlpPerLayer;
        long routerPerLayer = 0;
        long inactivePerLayer = 0;
        if (s.moe() == null) {
            mlpPerLayer = 3 * h * s.intermediateSize();
            biasPerLayer += s.mlpBias() ? 2L * s.intermediateSize() + h : 0;
        } else {
            MixtureOfExperts moe = s.moe();
            long expert = 3 * h * moe.expertIntermediateSize();
            mlpPerLayer = moe.experts() * expert + 3 * h * moe.sharedExpertIntermediateSize();
            routerPerLayer = h * moe.experts() + (moe.hasSharedExpert() ? h : 0);
            inactivePerLayer = (long) (moe.experts() - moe.expertsPerToken()) * expert;
        }
        long embeddings = (long) s.vocabSize() * h;
        return new ParameterCount(
                embeddings,
                s.tiedEmbeddings() ? 0 : embeddings,
                layers * attentionPerLayer,
                layers * mlpPerLayer,
                layers * routerPerLayer,
                layers * normsPerLayer + h,
                layers * biasPerLayer,
                layers * inactivePerLayer);
    }

    public long total() {
        return embeddings + outputHead + attention + mlp + router + norms + biases;
    }

    /** Parameters one token passes through: the total less the experts it is not routed to. */
    public long activePerToken() {
        return total() - inactiveExperts;
    }

    /** The decoder's Linear weights, which a 4-bit (nf4) load quantizes. */
    public long quantizableLinear() {
        return attention + mlp + router;
    }

    /** What stays in the compute dtype under a 4-bit load: embeddings, output head, norms, biases. */
    public long unquantized() {
        return total() - quantizableLinear();
    }
}
