package dev.aimnext.operators.guardrails.pii.anonymize;

import dev.aimnext.operators.guardrails.pii.PiiEntity;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;

/**
 * Keyed hashing for the hash action. An unsalted hash of an email or card number is reversible by
 * brute force (Presidio #1845); HMAC-SHA256 under a per-tenant secret is not, and equal values still
 * map to equal tokens within a tenant. Not thread-safe: one instance per tenant per task.
 */
public final class HmacPseudonymizer {

    /** 16 bytes of the MAC keep tokens short while collisions stay negligible. */
    private static final int TOKEN_BYTES = 16;

    private final Mac mac;

    public HmacPseudonymizer(byte[] secret) {
        try {
            mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }

    public String token(PiiEntity entity, String value) {
        // The entity is part of the MAC input, so the same digits as a phone and as a card differ.
        mac.update(entity.name().getBytes(StandardCharsets.UTF_8));
        mac.update((byte) 0);
        byte[] digest = mac.doFinal(value.getBytes(StandardCharsets.UTF_8));
        return "[" + entity.name() + ":" + HexFormat.of().formatHex(digest, 0, TOKEN_BYTES) + "]";
    }
}
