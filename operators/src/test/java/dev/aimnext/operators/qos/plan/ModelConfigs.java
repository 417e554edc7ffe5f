package dev.aimnext.operators.qos.plan;

import dev.aimnext.operators.finetune.profile.model.HfConfigParser;
import dev.aimnext.operators.finetune.profile.model.ModelShape;
import dev.aimnext.operators.finetune.profile.model.WeightDtype;
import dev.aimnext.operators.qos.placement.Priority;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The hand-written config.json files of published models: Qwen2.5-32B and Llama-3.1-70B under
 * {@code qos/plan/model-configs/}, Llama-3.1-8B and Mixtral-8x7B reused from {@code finetune/model-configs/}.
 */
final class ModelConfigs {

    static final String LLAMA_8B = "llama-3.1-8b";
    static final String QWEN_32B = "qwen2.5-32b";
    static final String MIXTRAL = "mixtral-8x7b-v0.1";
    static final String LLAMA_70B = "llama-3.1-70b";

    private ModelConfigs() {}

    static String json(String config) {
        for (String dir : new String[] {"/qos/plan/model-configs/", "/finetune/model-configs/"}) {
            try (InputStream in = ModelConfigs.class.getResourceAsStream(dir + config + ".json")) {
                if (in != null) {
                    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        throw new IllegalArgumentException("no test config " + config);
    }

    static ModelShape shape(String config) {
        return HfConfigParser.parse(json(config), config);
    }

    /** Writes the config as {@code dir/CONFIG/config.json}, the way a HuggingFace snapshot keeps it. */
    static Path write(Path dir, String config) throws IOException {
        Path file = dir.resolve(config).resolve("config.json");
        Files.createDirectories(file.getParent());
        Files.writeString(file, json(config));
        return file;
    }

    static ModelDemand demand(String name, String config, WeightDtype dtype, KvFloor floor, Priority priority) {
        return ModelDemandReader.fromShape(name, shape(config), dtype, null, floor, priority, config);
    }
}
