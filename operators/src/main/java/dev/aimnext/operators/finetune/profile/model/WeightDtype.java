package dev.aimnext.operators.finetune.profile.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A storage format for weights and what a given number of parameters costs in it.
 *
 * <p>NF4 follows bitsandbytes' QLoRA defaults: 4 bits per weight in blocks of 64, each block with
 * an absmax constant. With double quantization (on by default in QLoRA, Axolotl and
 * LLaMA-Factory) those constants are themselves stored as 8-bit values in blocks of 256, each block
 * with one fp32 absmax: 8/64 + 32/(64·256) ≈ 0.127 extra bits per weight. Without it, one fp32
 * absmax per 64 weights is 0.5 extra bits. INT8 and FP8 are counted at one byte per weight; their
 * per-row or per-tensor scales are below 0.1% and left out.
 */
public enum WeightDtype {
    FP32("fp32", 4, "float32"),
    BF16("bf16", 2, "bfloat16"),
    FP16("fp16", 2, "float16"),
    FP8("fp8", 1, "fp8"),
    INT8("int8", 1, "int8"),
    NF4("nf4", 0, "nf4");

    static final int NF4_BLOCK = 64;
    static final int NF4_DOUBLE_QUANT_BLOCK = 256;

    private final String id;
    private final int bytesPerWeight;
    private final String torchName;

    WeightDtype(String id, int bytesPerWeight, String torchName) {
        this.id = id;
        this.bytesPerWeight = bytesPerWeight;
        this.torchName = torchName;
    }

    public String id() {
        return id;
    }

    /** The name vLLM's and torch's {@code --dtype} use, e.g. {@code bfloat16}. */
    public String torchName() {
        return torchName;
    }

    /** Bytes of {@code params} weights, NF4 with double-quantized constants. */
    public long bytes(long params) {
        return this == NF4 ? nf4Bytes(params, true) : params * bytesPerWeight;
    }

    /**
     * Bytes of {@code params} weights in NF4: the packed 4-bit values, one absmax per 64 weights
     * (fp32, or 8-bit when double-quantized), and for double quantization one fp32 absmax per 256
     * of those constants.
     */
    public static long nf4Bytes(long params, boolean doubleQuant) {
        long packed = ceilDiv(params, 2);
        long blocks = ceilDiv(params, NF4_BLOCK);
        if (!doubleQuant) {
            return packed + blocks * Float.BYTES;
        }
        return packed + blocks + ceilDiv(blocks, NF4_DOUBLE_QUANT_BLOCK) * Float.BYTES;
    }

    public static WeightDtype parse(String text) {
        String key = text.toLowerCase(Locale.ROOT);
        for (WeightDtype d : values()) {
            if (d.id.equals(key) || d.torchName.equals(key)) {
                return d;
            }
        }
        throw new IllegalArgumentException("unknown dtype '" + text + "'; expected one of "
                + Arrays.stream(values()).map(WeightDtype::id).collect(Collectors.joining(", ")));
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }
}
