package dev.aimnext.operators.guardrails.engine;

import static dev.aimnext.operators.guardrails.engine.OnnxProto.FLOAT;
import static dev.aimnext.operators.guardrails.engine.OnnxProto.INT64;
import static dev.aimnext.operators.guardrails.engine.OnnxProto.floatTensor;
import static dev.aimnext.operators.guardrails.engine.OnnxProto.intAttr;
import static dev.aimnext.operators.guardrails.engine.OnnxProto.intsAttr;
import static dev.aimnext.operators.guardrails.engine.OnnxProto.node;
import static dev.aimnext.operators.guardrails.engine.OnnxProto.valueInfo;

/**
 * Writes a tiny ONNX sequence classifier by hand (protobuf wire format, no onnx library):
 * {@code logits = Gemm(ReduceSum(Cast(attention_mask), axis 1), W[1,2], b[2])}, so each logit is
 * an affine function of the window's token count. Small enough to check the engine's
 * sequence-classification path against arithmetic done in the test.
 */
final class TinyOnnxClassifier {

    private TinyOnnxClassifier() {}

    static byte[] model(float w0, float w1, float b0, float b1) {
        OnnxProto.Message graph = OnnxProto.message()
                .bytes(1, node("Cast", new String[] {"attention_mask"}, "mask_f", intAttr("to", FLOAT)))
                .bytes(1, node("ReduceSum", new String[] {"mask_f"}, "count", intsAttr("axes", 1), intAttr("keepdims", 1)))
                .bytes(1, node("Gemm", new String[] {"count", "W", "b"}, "logits"))
                .str(2, "tiny-classifier")
                .bytes(5, floatTensor("W", new long[] {1, 2}, w0, w1))
                .bytes(5, floatTensor("b", new long[] {2}, b0, b1))
                .bytes(11, valueInfo("input_ids", INT64, "batch", "seq"))
                .bytes(11, valueInfo("attention_mask", INT64, "batch", "seq"))
                .bytes(12, valueInfo("logits", FLOAT, "batch", "2"));
        return OnnxProto.model(7, 11, graph);
    }
}
