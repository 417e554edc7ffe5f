package dev.aimnext.operators.finetune.profile.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The hand-written config.json files of published models under {@code finetune/model-configs/}. */
public final class PublishedConfigs {

    private PublishedConfigs() {}

    public static String json(String name) {
        String path = "/finetune/model-configs/" + name + ".json";
        try (InputStream in = PublishedConfigs.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalArgumentException("no test config " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ModelShape shape(String name) {
        return HfConfigParser.parse(json(name), name);
    }
}
