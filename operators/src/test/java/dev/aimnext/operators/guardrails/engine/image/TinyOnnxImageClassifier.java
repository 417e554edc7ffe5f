package dev.aimnext.operators.guardrails.engine.image;

import dev.aimnext.operators.guardrails.engine.OnnxProto;

import static dev.aimnext.operators.guardrails.engine.OnnxProto.FLOAT;
import static dev.aimnext.operators.guardrails.engine.OnnxProto.floatTensor;
import static dev.aimnext.operators.guardrails.engine.OnnxProto.intAttr;
import static dev.aimnext.operators.guardrails.engine.OnnxProto.node;
import static dev.aimnext.operators.guardrails.engine.OnnxProto.valueInfo;

/**
 * A hand-written ONNX image classifier shaped like an HF export:
 * {@code logits = Gemm(Flatten(GlobalAveragePool(pixel_values)), W[3, 2], b[2])}. Each logit is
 * an affine function of the mean normalised R, G and B, so tests can compute it by hand.
 */
final class TinyOnnxImageClassifier {

    private TinyOnnxImageClassifier() {}

    /**
     * @param side fixed height and width of {@code pixel_values}, or 0 for symbolic dimensions
     * @param w the weights, row per channel (R, G, B), column per label
     * @param b the bias per label
     */
    static byte[] model(int side, float[][] w, float[] b) {
        String h = side > 0 ? Integer.toString(side) : "height";
        String wd = side > 0 ? Integer.toString(side) : "width";
        OnnxProto.Message graph = OnnxProto.message()
                .bytes(1, node("GlobalAveragePool", new String[] {"pixel_values"}, "pooled"))
                .bytes(1, node("Flatten", new String[] {"pooled"}, "channels", intAttr("axis", 1)))
                .bytes(1, node("Gemm", new String[] {"channels", "W", "b"}, "logits"))
                .str(2, "tiny-image-classifier")
                .bytes(5, floatTensor("W", new long[] {3, 2}, w[0][0], w[0][1], w[1][0], w[1][1], w[2][0], w[2][1]))
                .bytes(5, floatTensor("b", new long[] {2}, b[0], b[1]))
                .bytes(11, valueInfo("pixel_values", FLOAT, "batch_size", "3", h, wd))
                .bytes(12, valueInfo("logits", FLOAT, "batch_size", "2"));
        return OnnxProto.model(7, 13, graph);
    }
}
