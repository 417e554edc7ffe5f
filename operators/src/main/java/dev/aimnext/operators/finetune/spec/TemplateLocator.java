package dev.aimnext.operators.finetune.spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Finds the template a spec extends. A value with a slash or a {@code .yaml} suffix is a file
 * relative to the spec; a bare name such as {@code chat} is {@code templates/chat.yaml} in the
 * first of: the given folders, the spec's folder and each folder above it, the working directory.
 * Searching upwards lets {@code examples/finetune/job.yaml} find the repository's {@code templates/}
 * without a path that breaks when the file moves.
 */
final class TemplateLocator {

    static final String TEMPLATES_DIR = "templates";

    private TemplateLocator() {}

    /** @throws IllegalArgumentException naming what was searched and the templates that exist */
    static Path locate(String ref, Path specDir, List<Path> templateDirs) {
        if (ref.contains("/") || ref.contains("\\") || ref.endsWith(".yaml") || ref.endsWith(".yml")) {
            Path file = specDir.resolve(ref).normalize();
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException("template file " + file + " does not exist");
            }
            return file;
        }
        if (!ref.chars().allMatch(c -> (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) {
            throw new IllegalArgumentException("must be a template name such as chat, code or summarization, "
                    + "or a path to a template file, was '" + ref + "'");
        }
        List<Path> dirs = searchPath(specDir, templateDirs);
        for (Path dir : dirs) {
            Path file = dir.resolve(ref + ".yaml");
            if (Files.isRegularFile(file)) {
                return file;
            }
        }
        Set<String> known = new TreeSet<>();
        dirs.forEach(dir -> known.addAll(names(dir)));
        throw new IllegalArgumentException("no template '" + ref + "'"
                + (known.isEmpty() ? " and no templates/ folder above the spec or in the working directory"
                        : "; known: " + String.join(", ", known)));
    }

    private static List<Path> searchPath(Path specDir, List<Path> templateDirs) {
        Set<Path> dirs = new LinkedHashSet<>(templateDirs);
        for (Path dir = specDir.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(TEMPLATES_DIR);
            if (Files.isDirectory(candidate)) {
                dirs.add(candidate);
            }
        }
        dirs.add(Path.of(TEMPLATES_DIR).toAbsolutePath());
        return new ArrayList<>(dirs);
    }

    private static List<String> names(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml"))
                    .map(n -> n.substring(0, n.length() - ".yaml".length())).toList();
        } catch (IOException e) {
            return List.of();
        }
    }
}
