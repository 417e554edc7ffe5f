package dev.aimnext.operators.dataset.dedup;

/**
 * An LSH bucket: rows with the same key are near-duplicate candidates. The Flink job keys by it
 * ({@code keyBy(band, bucket)}) so each band is grouped in parallel and no single task holds a
 * global index.
 *
 * @param band which band of the signature, 0-based
 * @param bucket the hash of that band's signature values
 */
public record BandKey(int band, long bucket) {
}
