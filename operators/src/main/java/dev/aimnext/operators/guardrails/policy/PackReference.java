package dev.aimnext.operators.guardrails.policy;

import dev.aimnext.operators.guardrails.engine.BuiltinPacks;

import java.io.Serializable;
import java.nio.file.Path;

/**
 * Where a model pack comes from: {@code builtin:<name>} (shipped in the jar, see {@link
 * BuiltinPacks}) or a folder. A relative folder is resolved against the policy file's folder when
 * the policy is read, so the reference is absolute from then on; the folder must be readable at
 * that path on every TaskManager.
 *
 * @param spec {@code builtin:<name>} or an absolute folder path
 */
public record PackReference(String spec) implements Serializable {

    /** The reference of the default pack. */
    public static final PackReference DEFAULT = new PackReference(BuiltinPacks.PREFIX + BuiltinPacks.GUARD_MINILM);

    /**
     * @param baseDir folder that relative paths are resolved against
     * @param field the policy field or command-line option, for errors
     */
    public static PackReference parse(String spec, Path baseDir, String field) {
        String s = spec.trim();
        if (s.isEmpty()) {
            throw new IllegalArgumentException(field + " must name a pack: builtin:<name> or a folder");
        }
        if (s.startsWith(BuiltinPacks.PREFIX)) {
            String name = s.substring(BuiltinPacks.PREFIX.length());
            if (!BuiltinPacks.names().contains(name)) {
                throw new IllegalArgumentException(
                        field + ": unknown built-in pack '" + name + "'; built-in packs: " + BuiltinPacks.names());
            }
            return new PackReference(s);
        }
        return new PackReference(baseDir.resolve(s).toAbsolutePath().normalize().toString());
    }

    public boolean isBuiltin() {
        return spec.startsWith(BuiltinPacks.PREFIX);
    }

    /** The pack folder: a built-in pack is written into {@code cacheDir} first. */
    public Path resolve(Path cacheDir) {
        return isBuiltin()
                ? BuiltinPacks.materialize(spec.substring(BuiltinPacks.PREFIX.length()), cacheDir)
                : Path.of(spec);
    }

    @Override
    public String toString() {
        return spec;
    }
}
