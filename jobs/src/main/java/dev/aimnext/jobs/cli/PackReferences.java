package dev.aimnext.jobs.cli;

import dev.aimnext.operators.guardrails.engine.BuiltinPacks;

import java.nio.file.Files;
import java.nio.file.Path;

/** Command-line pack references: {@code builtin:NAME} or a pack folder. */
final class PackReferences {

    static final String DEFAULT = BuiltinPacks.PREFIX + BuiltinPacks.GUARD_MINILM;

    private PackReferences() {}

    static Path resolve(String ref) {
        if (ref.startsWith(BuiltinPacks.PREFIX)) {
            return BuiltinPacks.materialize(ref.substring(BuiltinPacks.PREFIX.length()), BuiltinPacks.defaultCacheDir());
        }
        Path dir = Path.of(ref);
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("pack folder not found: " + ref + " (or use builtin:"
                    + String.join(", builtin:", BuiltinPacks.names()) + ")");
        }
        return dir;
    }
}
