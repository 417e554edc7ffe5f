package dev.aimnext.jobs.finetune.data;

import dev.aimnext.operators.dataset.read.InputLocation;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The content hash that names a prepared dataset: SHA-256 over every preparation setting (sorted)
 * and the bytes of every input file, plus the bytes of the local files the settings point at
 * (tokenizer, chat template, PII policy), because changing any of them changes the output. A remote
 * input (a URI) counts by its name only; reading it all just to hash it would cost a download.
 */
final class DatasetContentHash {

    /** Settings whose value may be a local file whose content matters. */
    private static final Set<String> FILE_SETTINGS =
            Set.of("aim.dataset.tokenizer", "aim.dataset.chat-template", "aim.dataset.pii-policy");

    private DatasetContentHash() {}

    static String of(List<String> inputs, Map<String, String> settings) throws IOException {
        MessageDigest digest = sha256();
        update(digest, "aim-dataset-hash-v1");
        for (Map.Entry<String, String> s : new TreeMap<>(settings).entrySet()) {
            update(digest, "setting " + s.getKey() + "=" + s.getValue());
            if (FILE_SETTINGS.contains(s.getKey())) {
                Path file = Path.of(s.getValue());
                if (Files.isDirectory(file) && Files.isRegularFile(file.resolve("tokenizer.json"))) {
                    file = file.resolve("tokenizer.json");
                }
                if (Files.isRegularFile(file)) {
                    file(digest, file);
                }
            }
        }
        for (String input : inputs) {
            update(digest, "input " + input);
            if (!InputLocation.isUri(input)) {
                file(digest, Path.of(input));
            }
        }
        return "sha256:" + HexFormat.of().formatHex(digest.digest());
    }

    private static void file(MessageDigest digest, Path file) throws IOException {
        update(digest, "bytes " + Files.size(file));
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                digest.update(buffer, 0, n);
            }
        }
    }

    private static void update(MessageDigest digest, String text) {
        digest.update(text.getBytes(StandardCharsets.UTF_8));
        digest.update((byte) 0);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
    }
}
