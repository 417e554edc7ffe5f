package dev.aimnext.operators.guardrails.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Model packs that ship inside the jar, named by {@code builtin:<name>} in a policy. A pack's small
 * files ({@code aim-pack.json}, {@code config.json} and the head files that {@code aim-pack.json}
 * lists) live under {@code aim-guardrails/packs/<name>/}; its encoder and tokenizer are other
 * class-path resources (for {@code guard-minilm}, the quantized MiniLM of the langchain4j artifact).
 *
 * <p>{@link ModelPack#load} and ONNX Runtime need a folder, so {@link #materialize} copies the files
 * into {@code <cache>/<name>-<sha256 prefix>/}. The folder name is the digest of the content, and
 * the folder is written under a temporary name and renamed into place in one step: TaskManager
 * slots that start together either see no folder or a complete one, and a jar with other heads
 * gets another folder instead of overwriting one an engine may still be reading.
 */
public final class BuiltinPacks {

    /** Prefix of a built-in pack reference, as in {@code builtin:guard-minilm}. */
    public static final String PREFIX = "builtin:";

    /** The default pack: MiniLM-L6 encoder with prompt-injection and toxicity heads. */
    public static final String GUARD_MINILM = "guard-minilm";

    /** MiniLM-L6 encoder with a token head for PERSON, LOCATION, ORGANIZATION and ADDRESS. */
    public static final String NER_MINILM = "ner-minilm";

    private static final String ROOT = "aim-guardrails/packs/";

    /** Where a built-in pack's encoder files come from; the pack folder holds the rest. */
    private record Encoder(String model, String tokenizer) {}

    private static final Map<String, Encoder> ENCODERS = Map.of(
            GUARD_MINILM, new Encoder("all-minilm-l6-v2-q.onnx", "all-minilm-l6-v2-q-tokenizer.json"),
            NER_MINILM, new Encoder("all-minilm-l6-v2-q.onnx", "all-minilm-l6-v2-q-tokenizer.json"));

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Digest per pack name: the jar does not change while the JVM runs, and hashing 23 MB takes a while. */
    private static final Map<String, String> DIGESTS = new ConcurrentHashMap<>();

    private BuiltinPacks() {}

    /** Names of the built-in packs, sorted, so messages that list them read the same every time. */
    public static Set<String> names() {
        return new java.util.TreeSet<>(ENCODERS.keySet());
    }

    /** {@code java.io.tmpdir/aim-guardrail-packs}: the cache folder when none is configured. */
    public static Path defaultCacheDir() {
        return Path.of(System.getProperty("java.io.tmpdir"), "aim-guardrail-packs");
    }

    /**
     * The folder of built-in pack {@code name} under {@code cacheDir}, written on first use.
     *
     * @throws ModelPackException for an unknown name, a missing resource or a cache that cannot be written
     */
    public static Path materialize(String name, Path cacheDir) {
        Map<String, String> files = files(name);
        String digest = DIGESTS.computeIfAbsent(name, n -> digest(files));
        Path target = cacheDir.resolve(name + "-" + digest);
        if (Files.isDirectory(target)) {
            return target;
        }
        Path staging = cacheDir.resolve("." + name + "-" + digest + "-" + UUID.randomUUID());
        try {
            Files.createDirectories(cacheDir);
            for (Map.Entry<String, String> file : files.entrySet()) {
                Path to = staging.resolve(file.getKey());
                Files.createDirectories(to.getParent());
                try (InputStream in = open(file.getValue())) {
                    Files.copy(in, to);
                }
            }
            try {
                Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                throw new ModelPackException("pack cache " + cacheDir + " does not support atomic renames", e);
            } catch (FileSystemException e) {
                // Another slot renamed the same content into place first; its folder is as good as ours.
                if (!Files.isDirectory(target)) {
                    throw e;
                }
            }
            return target;
        } catch (IOException e) {
            throw new ModelPackException("cannot write built-in pack " + name + " into " + cacheDir + ": " + e, e);
        } finally {
            deleteQuietly(staging);
        }
    }

    /** Relative path in the pack → class-path resource, in a fixed order (the digest depends on it). */
    private static Map<String, String> files(String name) {
        Encoder encoder = ENCODERS.get(name);
        if (encoder == null) {
            throw new ModelPackException("unknown built-in pack '" + name + "'; built-in packs: " + names());
        }
        String dir = ROOT + name + "/";
        Map<String, String> files = new LinkedHashMap<>();
        files.put(ModelPack.MANIFEST_FILE, dir + ModelPack.MANIFEST_FILE);
        files.put(ModelPack.CONFIG_FILE, dir + ModelPack.CONFIG_FILE);
        for (String head : heads(dir + ModelPack.MANIFEST_FILE)) {
            files.put(head, dir + head);
        }
        files.put(ModelPack.MODEL_FILE, encoder.model());
        files.put(ModelPack.TOKENIZER_FILE, encoder.tokenizer());
        return files;
    }

    private static List<String> heads(String manifestResource) {
        JsonNode manifest;
        try (InputStream in = open(manifestResource)) {
            manifest = MAPPER.readTree(in);
        } catch (IOException e) {
            throw new ModelPackException(manifestResource + ": cannot parse JSON: " + e.getMessage(), e);
        }
        List<String> heads = new ArrayList<>();
        for (JsonNode head : manifest.path("heads")) {
            String path = head.asText();
            // Resource names cannot escape the pack, but a folder written from them could.
            if (path.isEmpty() || path.startsWith("/") || Path.of(path).normalize().startsWith("..")) {
                throw new ModelPackException(manifestResource + ": head file " + path + " lies outside the pack");
            }
            heads.add(path);
        }
        return heads;
    }

    private static String digest(Map<String, String> files) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (Map.Entry<String, String> file : files.entrySet()) {
                sha.update(file.getKey().getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
                try (InputStream in = new DigestInputStream(open(file.getValue()), sha)) {
                    while (in.read(buffer) >= 0) {
                        // DigestInputStream hashes what passes through.
                    }
                }
            }
            return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
        } catch (IOException e) {
            throw new ModelPackException("cannot read the built-in pack's resources: " + e, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static InputStream open(String resource) throws IOException {
        InputStream in = BuiltinPacks.class.getClassLoader().getResourceAsStream(resource);
        if (in == null) {
            throw new ModelPackException("built-in pack resource missing from the class path: " + resource);
        }
        return in;
    }

    private static void deleteQuietly(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // A leftover staging folder only costs disk space; the pack itself is fine.
        }
    }
}
