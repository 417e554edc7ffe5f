package dev.aimnext.operators.finetune.profile.memory;

import dev.aimnext.operators.finetune.profile.model.ModelShape;

/**
 * The KV cache of a model as vLLM lays it out: per token and layer a key and a value of
 * kv_heads × head_dim, so 2 · layers · kv_heads · head_dim · dtype bytes per token of context.
 *
 * <p>vLLM allocates in blocks of 16 tokens, and a sliding-window layer keeps only
 * min(window − 1 + max_num_batched_tokens, max_model_len) tokens of a sequence, so a sequence's
 * cost is counted per layer kind.
 */
public record KvCache(ModelShape shape, int dtypeBytes, int maxNumBatchedTokens) {

    public static final int BLOCK_TOKENS = 16;

    /** vLLM's default {@code max_num_batched_tokens} on large GPUs (H100, MI300X). */
    public static final int DEFAULT_MAX_NUM_BATCHED_TOKENS = 8192;

    /** Bytes per token of context over all layers, as if none slid: 2·L·K·d·bytes. */
    public long bytesPerToken() {
        return 2L * shape.layers() * shape.kvHeads() * shape.headDim() * dtypeBytes;
    }

    /** Bytes one sequence of {@code tokens} holds, in whole blocks, with sliding layers capped. */
    public long bytesPerSequence(long tokens) {
        long perLayerToken = 2L * shape.kvHeads() * shape.headDim() * dtypeBytes;
        int sliding = shape.slidingLayers();
        long fullLayers = shape.layers() - sliding;
        long slidingTokens = Math.min((long) shape.slidingWindow() - 1 + maxNumBatchedTokens, tokens);
        return perLayerToken * (fullLayers * roundToBlock(tokens) + sliding * roundToBlock(slidingTokens));
    }

    /** The longest sequence whose cache fits {@code budget} bytes, at most {@code limit}; 0 if none. */
    public long longestSequenceWithin(long budget, long limit) {
        long lo = 0;
        long hi = limit;
        while (lo < hi) {
            long mid = lo + (hi - lo + 1) / 2;
            if (bytesPerSequence(mid) <= budget) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    private static long roundToBlock(long tokens) {
        return (tokens + BLOCK_TOKENS - 1) / BLOCK_TOKENS * BLOCK_TOKENS;
    }
}
