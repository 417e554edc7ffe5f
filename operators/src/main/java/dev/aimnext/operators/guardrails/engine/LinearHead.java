package dev.aimnext.operators.guardrails.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A small classifier on a pooled encoder vector: one linear layer {@code z = W x + b}, then a
 * sigmoid per label (logistic regression; the default for one row) or a softmax over the rows.
 * Loaded from a pack's head file, e.g. {@code heads/prompt_injection.json}:
 * <pre>{"labels": ["injection"], "weights": [[...]], "bias": [...], "threshold": 0.5}</pre>
 *
 * @param name the file's base name, e.g. {@code prompt_injection}
 * @param labels one label per row of {@code weights}
 * @param weights [labels][dim]
 * @param bias [labels]
 * @param threshold default decision threshold on the scores
 * @param activation sigmoid (independent labels) or softmax
 * @param lexical an optional word-level model mixed into the score of a one-label head (see
 *     {@link LexicalModel}); null when the head reads the pooled vector only
 */
public record LinearHead(
        String name, List<String> labels, float[][] weights, float[] bias, double threshold, ScoreActivation activation,
        LexicalModel lexical) {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Input width the head expects. */
    public int dimension() {
        return weights[0].length;
    }

    /** Scores of one pooled vector, one per label. */
    public float[] score(float[] pooled) {
        if (pooled.length != dimension()) {
            throw new IllegalArgumentException("head " + name + " expects " + dimension()
                    + " features, the encoder gives " + pooled.length);
        }
        float[] z = new float[weights.length];
        for (int r = 0; r < weights.length; r++) {
            double acc = bias[r];
            for (int d = 0; d < pooled.length; d++) {
                acc += (double) weights[r][d] * pooled[d];
            }
            z[r] = (float) acc;
        }
        return activation.apply(z);
    }

    /** Reads a head file; any missing or mis-shaped field fails with the file's name. */
    public static LinearHead load(Path file) {
        String where = file.toString();
        JsonNode root;
        try {
            root = MAPPER.readTree(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new ModelPackException(where + ": cannot read head file: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new ModelPackException(where + ": head file must be a JSON object");
        }
        List<String> labels = new ArrayList<>();
        root.path("labels").forEach(l -> labels.add(l.asText()));
        JsonNode w = root.path("weights");
        JsonNode b = root.path("bias");
        if (labels.isEmpty() || !w.isArray() || w.size() != labels.size() || !b.isArray() || b.size() != labels.size()) {
            throw new ModelPackException(where + ": needs labels, weights and bias with one entry per label");
        }
        float[][] weights = new float[w.size()][];
        float[] bias = new float[b.size()];
        for (int r = 0; r < w.size(); r++) {
            JsonNode row = w.get(r);
            if (!row.isArray() || row.isEmpty() || (r > 0 && row.size() != weights[0].length)) {
                throw new ModelPackException(where + ": weights row " + r + " is empty or of a different width");
            }
            weights[r] = new float[row.size()];
            for (int d = 0; d < row.size(); d++) {
                weights[r][d] = (float) row.get(d).asDouble();
            }
            bias[r] = (float) b.get(r).asDouble();
        }
        String act = root.path("activation").asText(labels.size() == 1 ? "sigmoid" : "softmax");
        ScoreActivation activation = switch (act) {
            case "sigmoid" -> ScoreActivation.SIGMOID;
            case "softmax" -> ScoreActivation.SOFTMAX;
            default -> throw new ModelPackException(where + ": unknown activation '" + act + "'; expected sigmoid or softmax");
        };
        String base = file.getFileName().toString();
        String name = base.endsWith(".json") ? base.substring(0, base.length() - 5) : base;
        LexicalModel lexical = null;
        if (root.has("lexical")) {
            if (labels.size() != 1 || activation != ScoreActivation.SIGMOID) {
                throw new ModelPackException(where + ": a lexical block needs a one-label sigmoid head");
            }
            lexical = LexicalModel.load(root.get("lexical"), where);
        }
        return new LinearHead(name, List.copyOf(labels), weights, bias, root.path("threshold").asDouble(0.5), activation,
                lexical);
    }
}
