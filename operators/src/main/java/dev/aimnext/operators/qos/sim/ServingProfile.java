package dev.aimnext.operators.qos.sim;

/**
 * How fast one model serves on a whole GPU (compute share 1.0) with no neighbour, and what its
 * requests cost in KV cache. The simulator divides the step times by the partition's compute share:
 * an MI300X partition owns whole XCDs, so a QPX partition (0.25) runs a step about four times longer.
 *
 * <p>Steps follow vLLM's continuous batching without chunked prefill: a step either prefills the
 * requests admitted at its start, taking {@code stepOverheadMs + promptTokens / prefillTokensPerSec},
 * or decodes one token for every running request, taking
 * {@code decodeStepMs + decodeMsPerSequence · batchSize}.
 *
 * @param prefillTokensPerSec prompt tokens per second a prefill step processes
 * @param stepOverheadMs fixed cost of a prefill step (scheduling, kernel launches)
 * @param decodeStepMs decode step time at batch size 0 (weights streamed once per step)
 * @param decodeMsPerSequence what each running sequence adds to a decode step
 * @param kvBytesPerToken KV-cache bytes one token of context holds
 * @param maxBatchSize most requests running at once ({@code max_num_seqs})
 * @param maxBatchedTokens most prompt tokens one prefill step takes ({@code max_num_batched_tokens});
 *     a longer prompt still runs alone in one step
 */
public record ServingProfile(double prefillTokensPerSec, double stepOverheadMs, double decodeStepMs,
        double decodeMsPerSequence, long kvBytesPerToken, int maxBatchSize, int maxBatchedTokens) {

    public ServingProfile {
        if (!(prefillTokensPerSec > 0) || !(stepOverheadMs >= 0) || !(decodeStepMs > 0) || !(decodeMsPerSequence >= 0)) {
            throw new IllegalArgumentException("serving profile needs prefill rate > 0, overhead >= 0, decode step > 0 and"
                    + " per-sequence cost >= 0");
        }
        if (kvBytesPerToken <= 0 || maxBatchSize <= 0 || maxBatchedTokens <= 0) {
            throw new IllegalArgumentException("serving profile needs KV bytes per token, max batch size and max batched"
                    + " tokens > 0");
        }
    }

    /**
     * A Llama-3.1-8B-shaped model in bf16 under vLLM on a whole MI300X: 16 k prompt tokens/s of
     * prefill, 7 ms + 0.06 ms per sequence per decode step, and 128 KiB of KV per token
     * (2 · 32 layers · 8 KV heads · 128 · 2 bytes). The speeds are assumed figures of the right order
     * for that model and GPU, not measured here; only the interference factors are calibrated.
     */
    public static ServingProfile llama8b() {
        return new ServingProfile(16_000, 2, 7, 0.06, 2L * 32 * 8 * 128 * 2, 256, 8192);
    }

    /**
     * A Llama-3.2-1B-shaped model in bf16 under vLLM on a whole MI300X: 60 k prompt tokens/s of
     * prefill, 3 ms + 0.02 ms per sequence per decode step, and 32 KiB of KV per token
     * (2 · 16 layers · 8 KV heads · 64 · 2 bytes). Assumed figures, like {@link #llama8b()}.
     */
    public static ServingProfile llama1b() {
        return new ServingProfile(60_000, 1, 3, 0.02, 2L * 16 * 8 * 64 * 2, 256, 8192);
    }

    /** Step time of a prefill of {@code tokens} at compute share 1.0, in ms. */
    public double prefillMs(long tokens) {
        return stepOverheadMs + tokens * 1000.0 / prefillTokensPerSec;
    }

    /** Step time of a decode step over {@code batch} sequences at compute share 1.0, in ms. */
    public double decodeMs(int batch) {
        return decodeStepMs + decodeMsPerSequence * batch;
    }
}
