package dev.aimnext.operators.qos.plan;

import dev.aimnext.operators.finetune.profile.memory.KvCache;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;

/**
 * The least KV cache a model must keep: either {@code sequences} sequences of {@code tokens} tokens
 * of context, sized with the model's {@link KvCache} (vLLM's blocks and sliding windows), or a fixed
 * number of bytes.
 *
 * @param tokens context per sequence, 0 when the floor is given in bytes
 * @param sequences sequences held at once, 0 when the floor is given in bytes
 * @param bytes the floor in bytes when given directly, else 0
 */
public record KvFloor(long tokens, int sequences, long bytes) {

    private static final long MIB = 1L << 20;
    private static final long GIB = 1L << 30;

    public KvFloor {
        boolean perSequence = tokens > 0 && sequences > 0 && bytes == 0;
        boolean direct = tokens == 0 && sequences == 0 && bytes >= 0;
        if (!perSequence && !direct) {
            throw new IllegalArgumentException("a KV floor is TOKENSxSEQUENCES (both > 0) or a byte count, was tokens="
                    + tokens + " sequences=" + sequences + " bytes=" + bytes);
        }
    }

    public static KvFloor ofSequences(long tokens, int sequences) {
        return new KvFloor(tokens, sequences, 0);
    }

    public static KvFloor ofBytes(long bytes) {
        return new KvFloor(0, 0, bytes);
    }

    public boolean perSequence() {
        return tokens > 0;
    }

    /** The floor in bytes for a model whose cache is {@code kv}. */
    public long bytes(KvCache kv) {
        return perSequence() ? Math.multiplyExact(kv.bytesPerSequence(tokens), (long) sequences) : bytes;
    }

    /**
     * Parses {@code 8192x4} (tokens × sequences), {@code 4GiB}, {@code 512MiB} or a plain byte count.
     *
     * @throws IllegalArgumentException naming the accepted forms
     */
    public static KvFloor parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        try {
            int x = t.indexOf('x');
            if (x > 0) {
                return ofSequences(Long.parseLong(t.substring(0, x)), Integer.parseInt(t.substring(x + 1)));
            }
            if (t.endsWith("gib")) {
                return ofBytes(scaled(t.substring(0, t.length() - 3), GIB));
            }
            if (t.endsWith("mib")) {
                return ofBytes(scaled(t.substring(0, t.length() - 3), MIB));
            }
            return ofBytes(Long.parseLong(t));
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("KV floor '" + text + "' is not TOKENSxSEQUENCES (e.g. 8192x4), "
                    + "a size in GiB or MiB (e.g. 4GiB) or a byte count");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("KV floor '" + text + "': " + e.getMessage());
        }
    }

    /** {@code 8192 tokens x 4} or {@code 4.0 GiB}. */
    public String describe() {
        return perSequence() ? tokens + " tokens x " + sequences
                : String.format(Locale.ROOT, "%.1f GiB", bytes / (double) GIB);
    }

    private static long scaled(String number, long unit) {
        return new BigDecimal(number).multiply(BigDecimal.valueOf(unit)).setScale(0, RoundingMode.CEILING).longValueExact();
    }
}
