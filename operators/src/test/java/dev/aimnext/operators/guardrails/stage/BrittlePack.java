package dev.aimnext.operators.guardrails.stage;

import dev.aimnext.operators.guardrails.engine.BuiltinPacks;
import dev.aimnext.operators.guardrails.engine.OnnxProto;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A sequence-classification pack whose graph fails at run time on some texts and not on others,
 * so tests see real inference errors come out of ONNX Runtime. The graph is
 * {@code logits = Gemm(ReduceSum(Gather(table[vocabLimit], input_ids), axis 1), W, b)}: ORT's
 * Gather rejects an index outside the table, so any text with a MiniLM token id at or above
 * {@code vocabLimit} fails, for example "starbucks" (29500) or "thyroid" (29610), while common
 * words such as those of the warm-up text ("warm" 4010, "-" 1011, "up" 2039) pass. The table is
 * zeros and W is zero, so the scores are constant: softmax(b) = [0.881, 0.119].
 */
final class BrittlePack {

    private BrittlePack() {}

    /**
     * @param okLabel label 0 (score 0.881)
     * @param brittleLabel label 1 (score 0.119), calibrated at 0.5 in aim-pack.json
     */
    static Path write(Path dir, int vocabLimit, String okLabel, String brittleLabel, String version) throws IOException {
        Files.createDirectories(dir);
        Files.write(dir.resolve("model.onnx"), graph(vocabLimit));
        Files.copy(BuiltinPacks.materialize(BuiltinPacks.GUARD_MINILM, dir.resolveSibling("cache")).resolve("tokenizer.json"),
                dir.resolve("tokenizer.json"));
        Files.writeString(dir.resolve("config.json"), "{\"id2label\": {\"0\": \"" + okLabel + "\", \"1\": \""
                + brittleLabel + "\"}, \"max_position_embeddings\": 512, \"pad_token_id\": 0}");
        Files.writeString(dir.resolve("aim-pack.json"), "{\"task\": \"sequence_classification\", \"max_length\": 64, "
                + "\"version\": \"" + version + "\", \"thresholds\": {\"" + brittleLabel + "\": 0.5}}");
        return dir;
    }

    private static byte[] graph(int vocabLimit) {
        OnnxProto.Message graph = OnnxProto.message()
                .bytes(1, OnnxProto.node("Gather", new String[] {"table", "input_ids"}, "per_token"))
                .bytes(1, OnnxProto.node("ReduceSum", new String[] {"per_token"}, "summed",
                        OnnxProto.intsAttr("axes", 1), OnnxProto.intAttr("keepdims", 1)))
                .bytes(1, OnnxProto.node("Gemm", new String[] {"summed", "W", "b"}, "logits"))
                .str(2, "brittle-classifier")
                .bytes(5, OnnxProto.floatTensor("table", new long[] {vocabLimit}, new float[vocabLimit]))
                .bytes(5, OnnxProto.floatTensor("W", new long[] {1, 2}, 0f, 0f))
                .bytes(5, OnnxProto.floatTensor("b", new long[] {2}, 2f, 0f))
                .bytes(11, OnnxProto.valueInfo("input_ids", OnnxProto.INT64, "batch", "seq"))
                .bytes(11, OnnxProto.valueInfo("attention_mask", OnnxProto.INT64, "batch", "seq"))
                .bytes(12, OnnxProto.valueInfo("logits", OnnxProto.FLOAT, "batch", "2"));
        return OnnxProto.model(7, 11, graph);
    }
}
