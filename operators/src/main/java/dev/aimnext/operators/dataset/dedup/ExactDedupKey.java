package dev.aimnext.operators.dataset.dedup;

import dev.aimnext.operators.dataset.model.NormalizedConversation;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The exact-duplicate key of a conversation: SHA-256 of its {@link TextNormalization normalized
 * text}, in hex. A cryptographic hash makes accidental collisions negligible at any dataset size,
 * so the job can key by it and keep the first row per key without comparing texts.
 */
public final class ExactDedupKey {

    private ExactDedupKey() {
    }

    public static String of(NormalizedConversation conversation) {
        return ofNormalized(TextNormalization.normalize(conversation));
    }

    /** The key of {@link TextNormalization#normalize(NormalizedConversation)}'s result, computed once by the caller. */
    public static String ofNormalized(String normalizedConversation) {
        return sha256Hex(normalizedConversation);
    }

    /** The key of a single text, normalized the same way. */
    public static String ofText(String text) {
        return sha256Hex(TextNormalization.normalize(text));
    }

    private static String sha256Hex(String text) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM must provide SHA-256", e);
        }
    }
}
