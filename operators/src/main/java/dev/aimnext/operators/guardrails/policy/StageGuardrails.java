package dev.aimnext.operators.guardrails.policy;

import dev.aimnext.operators.guardrails.engine.LinearHead;
import dev.aimnext.operators.guardrails.engine.ModelPack;
import dev.aimnext.operators.guardrails.engine.ModelPackException;
import dev.aimnext.operators.guardrails.engine.PackTask;
import dev.aimnext.schemas.event.GuardrailStage;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The model guardrails of one stage, bound to their packs: every guardrail names a score its pack
 * offers and has a numeric threshold. {@link #bind} does this when the job starts (and when
 * {@code aim scan} starts), so a misspelt guardrail or a broken pack stops the start with the
 * policy field or the pack file in the message, not the first record.
 *
 * @param stage which stage
 * @param guardrails in policy order
 * @param packs the packs they read, by alias; only these are opened
 */
public record StageGuardrails(GuardrailStage stage, List<BoundGuardrail> guardrails, Map<String, BoundPack> packs)
        implements Serializable {

    public StageGuardrails {
        guardrails = List.copyOf(guardrails);
        packs = Map.copyOf(packs);
    }

    /** No model guardrails. */
    public static StageGuardrails none(GuardrailStage stage) {
        return new StageGuardrails(stage, List.of(), Map.of());
    }

    public boolean isEmpty() {
        return guardrails.isEmpty();
    }

    /** A loader that reads packs from their folders, writing built-in packs into {@code cacheDir}. */
    public static Function<PackReference, ModelPack> packLoader(Path cacheDir) {
        return reference -> ModelPack.load(reference.resolve(cacheDir));
    }

    /**
     * Loads the packs that the stage's guardrails read and checks each guardrail against its pack.
     *
     * @param loader loads a pack; {@link #packLoader} in production
     * @throws IllegalArgumentException naming the policy source and field, and for a broken pack the file
     */
    public static StageGuardrails bind(
            GuardrailPolicy policy, GuardrailStage stage, Function<PackReference, ModelPack> loader) {
        Map<String, ModelPack> loaded = new LinkedHashMap<>();
        Map<String, BoundPack> packs = new LinkedHashMap<>();
        Map<String, String> keyOwner = new HashMap<>();
        List<BoundGuardrail> bound = new ArrayList<>();
        for (ModelGuardrail g : policy.modelGuardrails(stage)) {
            ModelPack pack = loaded.get(g.pack());
            if (pack == null) {
                PackReference reference = policy.packs().get(g.pack());
                pack = load(policy, g, reference, loader);
                List<String> keys = scoreKeys(pack, policy.source() + ": packs." + g.pack());
                for (String key : keys) {
                    String other = keyOwner.putIfAbsent(key, g.pack());
                    if (other != null) {
                        throw new IllegalArgumentException(policy.source() + ": " + g.field() + ".pack: packs '"
                                + other + "' and '" + g.pack() + "' both give a score '" + key
                                + "'; one stage can read only one of them");
                    }
                }
                loaded.put(g.pack(), pack);
                packs.put(g.pack(), new BoundPack(g.pack(), reference, pack.version(), keys));
            }
            BoundPack boundPack = packs.get(g.pack());
            if (!boundPack.scoreKeys().contains(g.name())) {
                throw new IllegalArgumentException(policy.source() + ": " + g.field() + ".guardrail: pack '"
                        + g.pack() + "' (" + boundPack.reference() + ", version " + boundPack.version()
                        + ") gives no score '" + g.name() + "'; it gives " + boundPack.scoreKeys());
            }
            double threshold = g.threshold() != null ? g.threshold() : calibrated(policy, g, pack);
            bound.add(new BoundGuardrail(g.name(), g.pack(), g.action(), threshold, g.onError()));
        }
        return new StageGuardrails(stage, bound, packs);
    }

    /** Pack version per score key, for every score of every pack the stage reads. */
    public Map<String, String> versionsByScore() {
        Map<String, String> versions = new HashMap<>();
        for (BoundPack p : packs.values()) {
            p.scoreKeys().forEach(k -> versions.put(k, p.version()));
        }
        return versions;
    }

    private static ModelPack load(
            GuardrailPolicy policy, ModelGuardrail g, PackReference reference, Function<PackReference, ModelPack> loader) {
        try {
            return loader.apply(reference);
        } catch (ModelPackException e) {
            throw new IllegalArgumentException(policy.source() + ": packs." + g.pack() + " (" + reference
                    + "), read by " + g.field() + ": " + e.getMessage(), e);
        }
    }

    /**
     * The keys {@code InferenceEngine.score} reports for the pack: labels of a sequence classifier;
     * a head's name for a single-label head, {@code head/label} for the labels of a multi-label one.
     */
    static List<String> scoreKeys(ModelPack pack, String where) {
        List<String> keys = new ArrayList<>();
        if (pack.task() == PackTask.SEQUENCE_CLASSIFICATION) {
            keys.addAll(pack.labels());
        } else if (pack.task() == PackTask.ENCODER_HEADS) {
            for (LinearHead h : pack.heads()) {
                if (h.labels().size() == 1) {
                    keys.add(h.name());
                } else {
                    h.labels().forEach(l -> keys.add(h.name() + "/" + l));
                }
            }
        } else {
            throw new IllegalArgumentException(where + ": a " + pack.task().name().toLowerCase(java.util.Locale.ROOT)
                    + " pack gives no text scores; model guardrails need sequence_classification or encoder_heads");
        }
        return keys;
    }

    private static double calibrated(GuardrailPolicy policy, ModelGuardrail g, ModelPack pack) {
        Double t = pack.thresholds().get(g.name());
        int slash = g.name().indexOf('/');
        if (t == null && slash > 0) {
            t = pack.thresholds().get(g.name().substring(0, slash)); // a multi-label head's own threshold
        }
        if (t == null) {
            throw new IllegalArgumentException(policy.source() + ": " + g.field() + ".threshold: pack '" + g.pack()
                    + "' has no calibrated threshold for '" + g.name() + "'; set threshold in the policy");
        }
        if (!(t >= 0 && t <= 1)) {
            throw new IllegalArgumentException(policy.source() + ": " + g.field() + ": pack '" + g.pack()
                    + "' calibrates '" + g.name() + "' at " + t + ", outside [0, 1]; set threshold in the policy");
        }
        return t;
    }
}
