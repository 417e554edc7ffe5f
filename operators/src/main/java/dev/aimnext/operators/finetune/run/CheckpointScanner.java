package dev.aimnext.operators.finetune.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Finds a run's {@code checkpoint-<step>} folders and tells complete ones from the rest
 * (docs/FINETUNE-PROTOCOL.md §3). The trainer writes {@code manifest.json} last, so a folder without
 * it, or whose files do not match their hashes, was cut short by a crash while saving and must never
 * be resumed from.
 */
public final class CheckpointScanner {

    /** How hard to look. */
    public enum Verification {
        /** Hash every file against the manifest: before resuming. */
        HASHES,
        /** Only check that the listed files exist: for listings, where hashing full weights would be slow. */
        PRESENCE
    }

    static final String PREFIX = "checkpoint-";
    static final String MANIFEST = "manifest.json";
    static final String TRAINER_STATE = "trainer_state.json";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private CheckpointScanner() {}

    /** Every checkpoint folder under {@code runDir}, by step; a missing run folder has none. */
    public static List<Checkpoint> scan(Path runDir, Verification verification) throws IOException {
        if (!Files.isDirectory(runDir)) {
            return List.of();
        }
        List<Checkpoint> found = new ArrayList<>();
        try (Stream<Path> children = Files.list(runDir)) {
            for (Path dir : (Iterable<Path>) children.sorted()::iterator) {
                Optional<Long> step = stepOf(dir);
                if (step.isPresent()) {
                    found.add(new Checkpoint(step.get(), dir, problem(dir, step.get(), verification)));
                }
            }
        }
        found.sort(Comparator.comparingLong(Checkpoint::step));
        return List.copyOf(found);
    }

    /** Where to resume: the complete checkpoint with the highest step, hashes verified. */
    public static Optional<Checkpoint> resumePoint(Path runDir) throws IOException {
        List<Checkpoint> all = scan(runDir, Verification.HASHES);
        for (int i = all.size() - 1; i >= 0; i--) {
            if (all.get(i).complete()) {
                return Optional.of(all.get(i));
            }
        }
        return Optional.empty();
    }

    /** {@code checkpoint-400} is step 400; other names (and files) are not checkpoints. */
    static Optional<Long> stepOf(Path dir) {
        String name = dir.getFileName().toString();
        if (!name.startsWith(PREFIX) || name.length() == PREFIX.length() || name.length() > PREFIX.length() + 18
                || !Files.isDirectory(dir)) {
            return Optional.empty();
        }
        String digits = name.substring(PREFIX.length());
        for (int i = 0; i < digits.length(); i++) {
            if (digits.charAt(i) < '0' || digits.charAt(i) > '9') {
                return Optional.empty();
            }
        }
        return Optional.of(Long.parseLong(digits));
    }

    private static String problem(Path dir, long step, Verification verification) throws IOException {
        Path manifestFile = dir.resolve(MANIFEST);
        if (!Files.isRegularFile(manifestFile)) {
            return "no " + MANIFEST + " (saving did not finish)";
        }
        JsonNode manifest;
        try {
            manifest = MAPPER.readTree(manifestFile.toFile());
        } catch (JsonProcessingException e) {
            return MANIFEST + " is not valid JSON";
        }
        if (!manifest.path("complete").asBoolean(false) || !manifest.path("complete").isBoolean()) {
            return MANIFEST + " does not say \"complete\": true";
        }
        if (!manifest.path("step").isIntegralNumber() || manifest.path("step").asLong() != step) {
            return MANIFEST + " step " + manifest.path("step") + " does not match the folder (" + step + ")";
        }
        JsonNode files = manifest.path("files");
        if (!files.isObject() || !files.has(TRAINER_STATE)) {
            return MANIFEST + " does not list " + TRAINER_STATE;
        }
        Path root = dir.toAbsolutePath().normalize();
        Map<Path, String> expected = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = files.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            Path file = root.resolve(entry.getKey()).normalize();
            if (Path.of(entry.getKey()).isAbsolute() || !file.startsWith(root) || file.equals(root)) {
                return MANIFEST + " lists a path outside the checkpoint: " + entry.getKey();
            }
            if (!Files.isRegularFile(file)) {
                return "missing " + entry.getKey();
            }
            String hash = entry.getValue().asText("");
            if (!hash.startsWith("sha256:")) {
                return MANIFEST + " hash of " + entry.getKey() + " is not sha256:<hex>";
            }
            expected.put(file, hash.substring("sha256:".length()));
        }
        // hashing last: it reads every byte, so the cheap checks above decide first
        if (verification == Verification.HASHES) {
            for (Map.Entry<Path, String> e : expected.entrySet()) {
                if (!e.getValue().equalsIgnoreCase(sha256(e.getKey()))) {
                    return root.relativize(e.getKey()) + " does not match its sha256 in " + MANIFEST;
                }
            }
        }
        return null;
    }

    /** Lower-case hex SHA-256 of a file's bytes, as the manifest records it after {@code sha256:}. */
    public static String sha256(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
