package dev.aimnext.operators.finetune.profile.adapter;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A projection of a decoder layer that LoRA can adapt. Names follow PEFT's {@code target_modules}
 * for Llama-style models, with or without the {@code _proj} suffix; Mixtral's expert names
 * {@code w1}, {@code w3}, {@code w2} are accepted for gate, up and down. On Phi-3 the fused
 * {@code qkv_proj} and {@code gate_up_proj} stand for q/k/v and gate/up.
 */
public enum LoraTarget {
    Q("q", "q_proj"),
    K("k", "k_proj"),
    V("v", "v_proj"),
    O("o", "o_proj"),
    GATE("gate", "gate_proj", "w1"),
    UP("up", "up_proj", "w3"),
    DOWN("down", "down_proj", "w2");

    private final String[] names;

    LoraTarget(String... names) {
        this.names = names;
    }

    public String id() {
        return names[0];
    }

    /** The PEFT module name, e.g. {@code q_proj}. */
    public String moduleName() {
        return names[1];
    }

    public static LoraTarget parse(String text) {
        String key = text.trim().toLowerCase(Locale.ROOT);
        for (LoraTarget t : values()) {
            for (String name : t.names) {
                if (name.equals(key)) {
                    return t;
                }
            }
        }
        throw new IllegalArgumentException("unknown LoRA target '" + text + "'; expected some of "
                + Arrays.stream(values()).map(LoraTarget::id).collect(Collectors.joining(", "))
                + " (qkv and gate_up for Phi-3's fused projections)");
    }
}
