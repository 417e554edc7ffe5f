package dev.aimnext.operators.finetune.run;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A {@code checkpoint-<step>} folder of a run and what {@link CheckpointScanner} found in it.
 *
 * @param problem why it cannot be resumed from (no manifest, a file that does not match its hash,
 *     ...), or null when it is complete
 */
public record Checkpoint(long step, Path dir, String problem) {

    public Checkpoint {
        Objects.requireNonNull(dir, "dir");
    }

    /** Its manifest is there, says complete, and its files are there (and match, when verified). */
    public boolean complete() {
        return problem == null;
    }
}
