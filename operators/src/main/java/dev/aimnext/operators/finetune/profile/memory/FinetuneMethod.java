package dev.aimnext.operators.finetune.profile.memory;

import java.util.Locale;

/** How a model is fine-tuned, which decides what sits in GPU memory while it trains. */
public enum FinetuneMethod {
    /** Every weight trains: weights, fp32 master copy, gradients and AdamW's two moments. */
    FULL,
    /** The base is frozen at its dtype; only the low-rank adapters train. */
    LORA,
    /** LoRA over a base quantized to 4-bit NF4. */
    QLORA;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean usesAdapter() {
        return this != FULL;
    }

    public static FinetuneMethod parse(String text) {
        for (FinetuneMethod m : values()) {
            if (m.id().equals(text.toLowerCase(Locale.ROOT))) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown method '" + text + "'; expected lora, qlora or full");
    }
}
