package dev.aimnext.operators.finetune.profile.adapter;

import dev.aimnext.operators.finetune.profile.model.MixtureOfExperts;
import dev.aimnext.operators.finetune.profile.model.ModelShape;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A LoRA adapter: its rank, alpha and the projections it adapts. Each adapted Linear(in, out)
 * gains A (r × in) and B (out × r), that is r·(in + out) trainable parameters.
 *
 * <p>The default targets are all seven linear projections of a layer, as Axolotl's and
 * LLaMA-Factory's "all linear" do. On a mixture of experts gate/up/down are adapted in every expert
 * (and the shared expert), never the router, which is what PEFT does when it matches the expert
 * module names.
 */
public record LoraSpec(int rank, int alpha, Set<LoraTarget> targets) {

    public static final Set<LoraTarget> ALL_LINEAR = Collections.unmodifiableSet(EnumSet.allOf(LoraTarget.class));

    public LoraSpec {
        if (rank < 1) {
            throw new IllegalArgumentException("LoRA rank must be at least 1, got " + rank);
        }
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("LoRA needs at least one target module");
        }
        targets = Collections.unmodifiableSet(EnumSet.copyOf(targets));
    }

    /** Rank r with alpha 2r (LLaMA-Factory's and TRL's ratio) over all linear projections. */
    public static LoraSpec ofRank(int rank) {
        return new LoraSpec(rank, 2 * rank, ALL_LINEAR);
    }

    /** Parses a comma-separated target list such as {@code q,v} or {@code qkv_proj,o_proj}. */
    public static Set<LoraTarget> parseTargets(String list) {
        Set<LoraTarget> targets = EnumSet.noneOf(LoraTarget.class);
        for (String name : list.split(",")) {
            String key = name.trim().toLowerCase(Locale.ROOT);
            switch (key) {
                case "qkv", "qkv_proj" -> targets.addAll(EnumSet.of(LoraTarget.Q, LoraTarget.K, LoraTarget.V));
                case "gate_up", "gate_up_proj" -> targets.addAll(EnumSet.of(LoraTarget.GATE, LoraTarget.UP));
                case "all", "all-linear" -> targets.addAll(ALL_LINEAR);
                default -> targets.add(LoraTarget.parse(key));
            }
        }
        return targets;
    }

    /** PEFT {@code target_modules} for this model: fused names on Phi-3. */
    public List<String> moduleNames(ModelShape shape) {
        List<String> names = new ArrayList<>();
        if (!shape.fusedProjections()) {
            targets.forEach(t -> names.add(t.moduleName()));
            return names;
        }
        if (targets.contains(LoraTarget.Q) || targets.contains(LoraTarget.K) || targets.contains(LoraTarget.V)) {
            names.add("qkv_proj");
        }
        if (targets.contains(LoraTarget.O)) {
            names.add("o_proj");
        }
        if (targets.contains(LoraTarget.GATE) || targets.contains(LoraTarget.UP)) {
            names.add("gate_up_proj");
        }
        if (targets.contains(LoraTarget.DOWN)) {
            names.add("down_proj");
        }
        return names;
    }

    /** Trainable parameters this adapter adds to {@code shape}: Σ r·(in + out) over adapted Linears. */
    public long trainableParameters(ModelShape shape) {
        long h = shape.hiddenSize();
        long q = shape.queryWidth();
        long kv = shape.keyValueWidth();
        long perLayer = 0;
        if (shape.fusedProjections()) {
            // One Linear(h, q + 2kv) replaces three: one A of r·h instead of three.
            if (targets.contains(LoraTarget.Q) || targets.contains(LoraTarget.K) || targets.contains(LoraTarget.V)) {
                perLayer += adapter(h, q + 2 * kv);
            }
        } else {
            perLayer += targets.contains(LoraTarget.Q) ? adapter(h, q) : 0;
            perLayer += targets.contains(LoraTarget.K) ? adapter(h, kv) : 0;
            perLayer += targets.contains(LoraTarget.V) ? adapter(h, kv) : 0;
        }
        perLayer += targets.contains(LoraTarget.O) ? adapter(q, h) : 0;

        MixtureOfExperts moe = shape.moe();
        if (moe == null) {
            perLayer += mlpAdapters(shape, h, shape.intermediateSize());
        } else {
            perLayer += moe.experts() * mlpAdapters(shape, h, moe.expertIntermediateSize());
            perLayer += moe.hasSharedExpert() ? mlpAdapters(shape, h, moe.sharedExpertIntermediateSize()) : 0;
        }
        return perLayer * shape.layers();
    }

    private long mlpAdapters(ModelShape shape, long h, long width) {
        long total = 0;
        if (shape.fusedProjections()) {
            if (targets.contains(LoraTarget.GATE) || targets.contains(LoraTarget.UP)) {
                total += adapter(h, 2 * width);
            }
        } else {
            total += targets.contains(LoraTarget.GATE) ? adapter(h, width) : 0;
            total += targets.contains(LoraTarget.UP) ? adapter(h, width) : 0;
        }
        total += targets.contains(LoraTarget.DOWN) ? adapter(width, h) : 0;
        return total;
    }

    private long adapter(long in, long out) {
        return (long) rank * (in + out);
    }
}
