package dev.aimnext.operators.finetune.spec;

import dev.aimnext.operators.finetune.profile.model.PublishedConfigs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * A throwaway project folder for spec tests: model folders with a published config.json and a
 * tokenizer.json, a data file, and the repository's real templates, so specs are parsed exactly as
 * the driver parses them, with files on disk.
 */
public final class SpecWorkspace {

    /** The repository's templates folder, seen from the operators module (Maven's working directory). */
    public static final Path REPO_TEMPLATES = Path.of("..", "templates");

    private final Path root;

    public SpecWorkspace(Path root) {
        this.root = root;
        try {
            Files.createDirectories(root.resolve("jobs"));
            Files.createDirectories(root.resolve("data"));
            Files.writeString(root.resolve("data/chat.jsonl"), "{\"messages\": []}\n");
            copyTemplates(root.resolve("templates"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path root() {
        return root;
    }

    /** {@code models/NAME/} with the published config.json of {@code config} and a tokenizer.json. */
    public Path model(String name, String config) {
        Path dir = root.resolve("models").resolve(name);
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("config.json"), PublishedConfigs.json(config));
            Files.writeString(dir.resolve("tokenizer.json"), "{}");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    /** Writes {@code jobs/NAME} and parses it with templates from the workspace. */
    public FineTuningJobSpec parse(String name, String yaml) {
        Path file = write(name, yaml);
        try {
            return FineTuningJobParser.parse(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path write(String name, String yaml) {
        Path file = root.resolve("jobs").resolve(name);
        try {
            Files.writeString(file, yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    public static void copyTemplates(Path target) throws IOException {
        Files.createDirectories(target);
        try (Stream<Path> files = Files.list(REPO_TEMPLATES)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).toList()) {
                Files.copy(f, target.resolve(f.getFileName()));
            }
        }
    }

    /** A lora spec on Llama 3.1 8B extending chat; {@code hyper} and {@code resources} are indented YAML lines. */
    public static String llamaChat(List<String> hyper, double gpuMemoryGb) {
        return """
                apiVersion: aim.amd.com/v1alpha1
                kind: FineTuningJob
                metadata:
                  name: llama-chat
                spec:
                  template: chat
                  baseModel:
                    modelId: meta-llama/Llama-3.1-8B-Instruct
                    path: ../models/llama
                  dataset:
                    source: ../data/chat.jsonl
                  hyperparameters:
                """ + String.join("", hyper.stream().map(l -> "    " + l + "\n").toList()) + """
                  output:
                    path: ../out
                  resources:
                    gpuMemoryGb: %s
                """.formatted(gpuMemoryGb);
    }
}
