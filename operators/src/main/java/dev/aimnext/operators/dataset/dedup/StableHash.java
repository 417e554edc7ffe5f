package dev.aimnext.operators.dataset.dedup;

/**
 * 64-bit hashing that is identical on every JVM and run. {@link String#hashCode()} is only 32 bits,
 * which collides too often for shingle sets, and MinHash keys must be stable because the Flink job
 * compares band keys computed on different task managers.
 */
final class StableHash {

    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private StableHash() {
    }

    /** FNV-1a over the UTF-16 units of {@code text[from, to)}, then the murmur3 finalizer for avalanche. */
    static long hash(CharSequence text, int from, int to) {
        long h = FNV_OFFSET;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            h ^= c & 0xff;
            h *= FNV_PRIME;
            h ^= c >>> 8;
            h *= FNV_PRIME;
        }
        return mix(h);
    }

    /** MurmurHash3's fmix64: every input bit affects every output bit. */
    static long mix(long k) {
        k ^= k >>> 33;
        k *= 0xff51afd7ed558ccdL;
        k ^= k >>> 33;
        k *= 0xc4ceb9fe1a85ec53L;
        k ^= k >>> 33;
        return k;
    }
}
