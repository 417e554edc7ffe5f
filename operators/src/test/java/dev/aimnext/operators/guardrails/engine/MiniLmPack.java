package dev.aimnext.operators.guardrails.engine;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Builds HF-layout packs for tests from the MiniLM encoder and tokenizer in the langchain4j test jar. */
final class MiniLmPack {

    static final String TOKENIZER_RESOURCE = "/all-minilm-l6-v2-q-tokenizer.json";
    static final String MODEL_RESOURCE = "/all-minilm-l6-v2-q.onnx";

    private MiniLmPack() {}

    static InputStream tokenizer() {
        return MiniLmPack.class.getResourceAsStream(TOKENIZER_RESOURCE);
    }

    /** A pack folder with model.onnx, tokenizer.json and a BERT config.json; no aim-pack.json. */
    static Path encoderFiles(Path dir) throws IOException {
        Files.createDirectories(dir);
        copy(MODEL_RESOURCE, dir.resolve(ModelPack.MODEL_FILE));
        copy(TOKENIZER_RESOURCE, dir.resolve(ModelPack.TOKENIZER_FILE));
        Files.writeString(dir.resolve(ModelPack.CONFIG_FILE),
                "{\"model_type\":\"bert\",\"max_position_embeddings\":512,\"pad_token_id\":0}");
        return dir;
    }

    private static void copy(String resource, Path target) throws IOException {
        try (InputStream in = MiniLmPack.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("test resource " + resource + " not on the class path");
            }
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
