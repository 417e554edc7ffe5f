package dev.aimnext.operators.guardrails.engine.token;

import dev.aimnext.operators.guardrails.engine.LinearHead;
import dev.aimnext.operators.guardrails.engine.ModelPackException;
import dev.aimnext.operators.guardrails.engine.ScoreActivation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A per-token classifier over encoder states: one linear layer over {@link TokenFeatures} of each
 * token, then a softmax over the BIO labels. Its file is a {@link LinearHead} file with an optional
 * {@code features} block:
 * <pre>{"labels": ["O", "B-PERSON", ...], "weights": [[...]], "bias": [...], "activation": "softmax",
 *  "features": {"context": 2, "shape": ["word_upper_initial", ...]}}</pre>
 */
public record TokenHead(LinearHead linear, TokenFeatures features) {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    public TokenHead {
        if (linear.activation() != ScoreActivation.SOFTMAX || linear.labels().size() < 2) {
            throw new IllegalArgumentException("token head " + linear.name() + " needs a softmax over at least two labels");
        }
    }

    /** Reads a head file; the linear part as {@link LinearHead#load} reads it. */
    public static TokenHead load(Path file) {
        LinearHead linear = LinearHead.load(file);
        JsonNode root;
        try {
            root = MAPPER.readTree(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new ModelPackException(file + ": cannot read head file: " + e.getMessage(), e);
        }
        if (linear.activation() != ScoreActivation.SOFTMAX || linear.labels().size() < 2) {
            throw new ModelPackException(file + ": a token head needs activation softmax and at least two labels");
        }
        return new TokenHead(linear, TokenFeatures.parse(root.get("features"), file.toString()));
    }

    /**
     * Label probabilities of every token of one window.
     *
     * @param hidden encoder states of the window's row, at least {@code offsets.length()} rows
     * @return [tokens][labels]
     */
    public float[][] probabilities(float[][] hidden, TokenOffsets offsets, String text) {
        int length = offsets.length();
        int width = features.dimension(hidden[0].length);
        if (width != linear.dimension()) {
            throw new IllegalArgumentException("token head " + linear.name() + " expects " + linear.dimension()
                    + " features, the encoder gives " + width + " (hidden width " + hidden[0].length + ")");
        }
        float[][] shapes = features.shapeFlags(offsets, text);
        float[] x = new float[width];
        float[][] out = new float[length][];
        for (int t = 0; t < length; t++) {
            features.fill(hidden, length, shapes, t, x);
            out[t] = linear.score(x);
        }
        return out;
    }
}
