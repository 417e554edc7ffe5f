package dev.aimnext.jobs.cli;

import dev.aimnext.operators.guardrails.engine.BuiltinPacks;
import dev.aimnext.operators.guardrails.policy.PackReference;

import java.nio.file.Files;
import java.nio.file.Path;

/** Command-line pack references ({@code --pack}): {@code builtin:NAME} or a pack folder, as in a policy. */
final class PackReferences {

    static final String DEFAULT = PackReference.DEFAULT.spec();

    private PackReferences() {}

    /** The pack's folder; a built-in pack is written into the default cache first. */
    static Path resolve(String ref) {
        PackReference reference = PackReference.parse(ref, Path.of(""), "--pack");
        Path dir = reference.resolve(BuiltinPacks.defaultCacheDir());
        if (!reference.isBuiltin() && !Files.isDirectory(dir)) {
            throw new IllegalArgumentException("pack folder not found: " + ref + " (or use builtin:"
                    + String.join(", builtin:", BuiltinPacks.names()) + ")");
        }
        return dir;
    }
}
