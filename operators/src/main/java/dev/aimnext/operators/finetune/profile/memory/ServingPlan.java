package dev.aimnext.operators.finetune.profile.memory;

import java.util.List;

/**
 * How a fine-tuned model is served by vLLM on a partition: what its budget holds and the arguments
 * that make vLLM hold exactly that. Sizes are bytes.
 *
 * @param budgetBytes partition × gpu_memory_utilization, the memory vLLM lets itself use
 * @param weightBytes base weights as served (NF4 for QLoRA, loaded by bitsandbytes)
 * @param loraBytes the adapter slot vLLM reserves at {@code maxLoraRank}, 0 without LoRA
 * @param runtimeOverheadBytes non-torch memory and the profile run's peak activations
 * @param kvBudgetBytes what is left for the KV cache
 * @param maxModelLen the context length to serve: the requested one, or the longest that fits
 * @param longestFittingModelLen the longest context whose cache fits, capped at the trained length
 * @param maxConcurrentSequences full-length sequences the cache holds at once, capped at max_num_seqs
 * @param maxLoraRank LoRA rank rounded up to a value vLLM accepts, 0 without LoRA
 */
public record ServingPlan(
        double gpuMemoryUtilization,
        long budgetBytes,
        long weightBytes,
        long loraBytes,
        long runtimeOverheadBytes,
        long kvBudgetBytes,
        String kvCacheDtype,
        long kvBytesPerToken,
        long kvBytesPerSequence,
        int slidingWindow,
        int slidingLayers,
        long maxModelLen,
        long longestFittingModelLen,
        long maxConcurrentSequences,
        int maxLoraRank,
        List<String> vllmArgs) {}
