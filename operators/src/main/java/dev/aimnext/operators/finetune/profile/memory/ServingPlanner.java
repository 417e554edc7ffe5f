package dev.aimnext.operators.finetune.profile.memory;

import dev.aimnext.operators.finetune.profile.adapter.LoraSpec;
import dev.aimnext.operators.finetune.profile.model.ModelShape;
import dev.aimnext.operators.finetune.profile.model.ParameterCount;
import dev.aimnext.operators.finetune.profile.model.WeightDtype;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Sizes vLLM on a partition the way vLLM sizes itself: the budget is partition ×
 * {@code --gpu-memory-utilization}; weights, the LoRA slot and the runtime come off first, and the
 * rest is KV cache. vLLM refuses to start unless one {@code max_model_len} sequence fits that
 * cache, so the longest context that fits is the limit, and the cache divided by one such sequence
 * is the concurrency.
 */
public final class ServingPlanner {

    /** vLLM's default {@code --gpu-memory-utilization}. */
    public static final double DEFAULT_GPU_MEMORY_UTILIZATION = 0.90;

    /** vLLM's default {@code max_num_seqs} on large GPUs: no more sequences run at once. */
    public static final int MAX_NUM_SEQS = 1024;

    /** Ranks vLLM's {@code --max-lora-rank} accepts (LoRAConfig's possible_max_ranks). */
    static final int[] VLLM_LORA_RANKS = {1, 8, 16, 32, 64, 128, 256, 320, 512};

    /**
     * Memory outside torch's allocator (HIP/CUDA context, RCCL, graphs) as vLLM measures it on
     * start; about 1 GiB on MI300X and H100 for one-GPU models.
     */
    static final long NON_TORCH_BYTES = 1L << 30;

    private final double gpuMemoryUtilization;

    public ServingPlanner(double gpuMemoryUtilization) {
        if (gpuMemoryUtilization <= 0 || gpuMemoryUtilization > 1) {
            throw new IllegalArgumentException("--gpu-memory-utilization must be in (0, 1], got " + gpuMemoryUtilization);
        }
        this.gpuMemoryUtilization = gpuMemoryUtilization;
    }

    /**
     * Plans serving {@code shape} fine-tuned by {@code method} on {@code partitionBytes}.
     *
     * @param requestedMaxModelLen the context to serve, or 0 for the longest that fits
     * @throws ProfileDoesNotFitException when the weights, or one sequence of the requested context, do not fit
     */
    public ServingPlan plan(String model, ModelShape shape, ParameterCount params, FinetuneMethod method,
            WeightDtype dtype, LoraSpec lora, long partitionBytes, long requestedMaxModelLen) {
        long budget = (long) Math.floor(partitionBytes * gpuMemoryUtilization);
        long weights = method == FinetuneMethod.QLORA
                ? TrainingMemory.qloraBaseBytes(params, dtype)
                : dtype.bytes(params.total());
        int maxLoraRank = method.usesAdapter() ? vllmLoraRank(lora.rank()) : 0;
        // vLLM reserves a slot for every module it can adapt, at max_lora_rank, in the model dtype.
        long loraBytes = method.usesAdapter() ? dtype.bytes(LoraSpec.ofRank(maxLoraRank).trainableParameters(shape)) : 0;
        long overhead = runtimeOverhead(shape, dtype);
        long kvBudget = budget - weights - loraBytes - overhead;
        if (kvBudget <= 0) {
            throw new ProfileDoesNotFitException(String.format(Locale.ROOT,
                    "serving %s (%s) needs %s before any KV cache (weights %s, LoRA slot %s, runtime %s) "
                            + "but vLLM may use only %s of the %s partition (--gpu-memory-utilization %.2f); "
                            + "use a larger partition%s",
                    model, method.id(), gib(weights + loraBytes + overhead), gib(weights), gib(loraBytes),
                    gib(overhead), gib(budget), gib(partitionBytes), gpuMemoryUtilization,
                    method == FinetuneMethod.QLORA ? "" : " or --method qlora"));
        }

        WeightDtype kvDtype = dtype; // vLLM's --kv-cache-dtype auto: the model dtype
        KvCache kv = new KvCache(shape, (int) kvDtype.bytes(1), KvCache.DEFAULT_MAX_NUM_BATCHED_TOKENS);
        long trained = shape.maxPositionEmbeddings();
        if (requestedMaxModelLen == 0 && trained == 0) {
            throw new IllegalArgumentException(model + " has no max_position_embeddings; pass --max-model-len");
        }
        if (requestedMaxModelLen > 0 && trained > 0 && requestedMaxModelLen > trained) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "--max-model-len %d exceeds %s's max_position_embeddings %d", requestedMaxModelLen, model, trained));
        }
        long cap = trained > 0 ? trained : requestedMaxModelLen;
        long longest = kv.longestSequenceWithin(kvBudget, cap);
        long maxModelLen = requestedMaxModelLen > 0 ? requestedMaxModelLen : longest;
        if (longest < KvCache.BLOCK_TOKENS || maxModelLen > longest) {
            throw new ProfileDoesNotFitException(String.format(Locale.ROOT,
                    "a %d-token context of %s needs %s of KV cache but only %s is left after weights and runtime "
                            + "(%s of the %s partition at --gpu-memory-utilization %.2f); the longest that fits is "
                            + "%d tokens",
                    maxModelLen, model, gib(kv.bytesPerSequence(maxModelLen)), gib(kvBudget), gib(budget),
                    gib(partitionBytes), gpuMemoryUtilization, longest));
        }
        long concurrency = Math.min(MAX_NUM_SEQS, kvBudget / kv.bytesPerSequence(maxModelLen));

        List<String> args = new ArrayList<>(List.of(
                "--dtype", dtype.torchName(),
                "--gpu-memory-utilization", String.format(Locale.ROOT, "%.2f", gpuMemoryUtilization),
                "--max-model-len", Long.toString(maxModelLen)));
        if (method == FinetuneMethod.QLORA) {
            args.addAll(List.of("--quantization", "bitsandbytes"));
        }
        if (method.usesAdapter()) {
            args.addAll(List.of("--enable-lora", "--max-lora-rank", Integer.toString(maxLoraRank)));
        }
        return new ServingPlan(gpuMemoryUtilization, budget, weights, loraBytes, overhead, kvBudget,
                kvDtype.torchName(), kv.bytesPerToken(), kv.bytesPerSequence(maxModelLen), shape.slidingWindow(),
                shape.slidingLayers(), maxModelLen, longest, concurrency, maxLoraRank, List.copyOf(args));
    }

    /** The smallest rank vLLM accepts that holds {@code rank}. */
    static int vllmLoraRank(int rank) {
        for (int allowed : VLLM_LORA_RANKS) {
            if (allowed >= rank) {
                return allowed;
            }
        }
        throw new IllegalArgumentException("LoRA rank " + rank + " exceeds vLLM's largest --max-lora-rank 512");
    }

    /**
     * Non-torch memory plus the peak of vLLM's profile run: one MLP's intermediates (the input, the
     * fused gate/up output and the activation, h + 3·I per token) over {@code max_num_batched_tokens}.
     */
    static long runtimeOverhead(ModelShape shape, WeightDtype dtype) {
        long bytes = dtype == WeightDtype.FP32 ? 4 : 2;
        return NON_TORCH_BYTES + (long) KvCache.DEFAULT_MAX_NUM_BATCHED_TOKENS * bytes
                * (shape.hiddenSize() + 3 * shape.activeIntermediateSize());
    }

    /** Bytes as GiB with one decimal, the unit partitions are sold in. */
    public static String gib(long bytes) {
        return String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30));
    }
}
