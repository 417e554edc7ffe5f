package dev.aimnext.operators.guardrails.engine.token;

import dev.aimnext.operators.guardrails.engine.ModelPack;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Builds pack folders for NER tests from class-path resources: the MiniLM encoder and the built-in ner-minilm files. */
public final class NerTestPacks {

    public static final String MODEL_RESOURCE = "/all-minilm-l6-v2-q.onnx";
    public static final String TOKENIZER_RESOURCE = "/all-minilm-l6-v2-q-tokenizer.json";
    private static final String NER_PACK = "/aim-guardrails/packs/ner-minilm/";

    private NerTestPacks() {}

    /** The built-in ner-minilm pack (encoder, tokenizer, config, aim-pack.json and the shipped head) in {@code dir}. */
    public static Path nerMiniLm(Path dir) throws IOException {
        Files.createDirectories(dir.resolve("heads"));
        copy(MODEL_RESOURCE, dir.resolve(ModelPack.MODEL_FILE));
        copy(TOKENIZER_RESOURCE, dir.resolve(ModelPack.TOKENIZER_FILE));
        copy(NER_PACK + ModelPack.CONFIG_FILE, dir.resolve(ModelPack.CONFIG_FILE));
        copy(NER_PACK + ModelPack.MANIFEST_FILE, dir.resolve(ModelPack.MANIFEST_FILE));
        copy(NER_PACK + "heads/ner.json", dir.resolve("heads/ner.json"));
        return dir;
    }

    public static InputStream tokenizer() {
        return NerTestPacks.class.getResourceAsStream(TOKENIZER_RESOURCE);
    }

    public static void copy(String resource, Path target) throws IOException {
        try (InputStream in = NerTestPacks.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("resource " + resource + " not on the class path");
            }
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
