package dev.aimnext.operators.guardrails.stage;

import dev.aimnext.operators.guardrails.engine.EngineSettings;
import dev.aimnext.operators.guardrails.engine.InferenceEngine;
import dev.aimnext.operators.guardrails.engine.ModelPack;
import dev.aimnext.operators.guardrails.engine.ModelPackException;
import dev.aimnext.operators.guardrails.engine.TextScores;
import dev.aimnext.operators.guardrails.policy.BoundPack;
import dev.aimnext.operators.guardrails.policy.StageGuardrails;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scores texts with the packs of a stage's model guardrails outside Flink, for {@code aim scan}:
 * one engine per pack, one call per batch of texts. A batch that fails is scored again text by
 * text, so one bad text fails only itself; a text that still fails records its pack in {@link
 * Scored#failures} and the guardrails' {@code on_error} decides, as in the job.
 */
public final class ModelTextScorer implements AutoCloseable {

    /** Scores and failures of one text, shaped like {@link ScoredRequest}'s. */
    public record Scored(Map<String, Double> scores, Map<String, String> failures) {}

    private final Map<String, InferenceEngine> engines;

    private ModelTextScorer(Map<String, InferenceEngine> engines) {
        this.engines = engines;
    }

    /**
     * Opens every pack the stage reads; a pack that cannot be opened fails here, naming its file.
     *
     * @param cacheDir where built-in packs are written
     */
    public static ModelTextScorer open(StageGuardrails stage, Path cacheDir, EngineSettings settings) {
        Map<String, InferenceEngine> engines = new LinkedHashMap<>();
        try {
            for (BoundPack pack : stage.packs().values()) {
                InferenceEngine engine = InferenceEngine.open(ModelPack.load(pack.reference().resolve(cacheDir)), settings);
                engines.put(pack.alias(), engine);
                if (!engine.pack().version().equals(pack.version())) {
                    throw new ModelPackException("pack '" + pack.alias() + "' changed while starting: version "
                            + engine.pack().version() + ", checked " + pack.version());
                }
            }
        } catch (RuntimeException e) {
            engines.values().forEach(InferenceEngine::close);
            throw e;
        }
        return new ModelTextScorer(engines);
    }

    /** Pack version per alias. */
    public Map<String, String> versions() {
        Map<String, String> versions = new LinkedHashMap<>();
        engines.forEach((alias, engine) -> versions.put(alias, engine.pack().version()));
        return versions;
    }

    /** Scores of each text, in order. */
    public List<Scored> score(List<String> texts) {
        List<Scored> out = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            out.add(new Scored(new HashMap<>(), new HashMap<>()));
        }
        engines.forEach((alias, engine) -> {
            try {
                record(engine.score(texts), out, 0);
            } catch (RuntimeException batchFailed) {
                for (int i = 0; i < texts.size(); i++) {
                    try {
                        record(engine.score(List.of(texts.get(i))), out, i);
                    } catch (RuntimeException e) {
                        out.get(i).failures().put(alias, "inference error: " + e.getClass().getSimpleName());
                    }
                }
            }
        });
        return out;
    }

    private static void record(List<TextScores> scores, List<Scored> out, int offset) {
        for (int i = 0; i < scores.size(); i++) {
            Map<String, Double> target = out.get(offset + i).scores();
            scores.get(i).scores().forEach((key, score) -> target.put(key, (double) score));
        }
    }

    @Override
    public void close() {
        engines.values().forEach(InferenceEngine::close);
    }
}
