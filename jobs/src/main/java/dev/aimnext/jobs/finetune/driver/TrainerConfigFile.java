package dev.aimnext.jobs.finetune.driver;

import dev.aimnext.jobs.finetune.store.RunStore;
import dev.aimnext.operators.finetune.plan.TrainerConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code RUN_DIR/trainer-config.json}: rendered once when the run is created, then rewritten before
 * every attempt with only {@code resume_from} changed, so retries and resumes train with exactly the
 * settings the run started with.
 */
public final class TrainerConfigFile {

    public static final String FILE = "trainer-config.json";

    private TrainerConfigFile() {}

    public static Path of(Path runDir) {
        return runDir.resolve(FILE);
    }

    /** Writes the rendered config atomically. */
    public static void write(Path runDir, String json) throws IOException {
        RunStore.writeAtomically(of(runDir), json.endsWith("\n") ? json : json + "\n");
    }

    /**
     * @throws IllegalStateException when the run has no config yet (it never got past preparing) or it is not valid
     */
    public static TrainerConfig read(Path runDir) throws IOException {
        Path file = of(runDir);
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("the run has no " + file + " (it stopped before its first attempt); "
                    + "start it again with aim finetune --spec");
        }
        try {
            return TrainerConfig.parse(Files.readString(file));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(file + ": " + e.getMessage(), e);
        }
    }

    /** Points the next attempt at a checkpoint folder, or at a fresh start. */
    public static void setResumeFrom(Path runDir, Optional<Path> checkpoint) throws IOException {
        TrainerConfig config = read(runDir);
        write(runDir, config.withResumeFrom(checkpoint.map(c -> c.toAbsolutePath().toString()).orElse(null)).toJson());
    }
}
