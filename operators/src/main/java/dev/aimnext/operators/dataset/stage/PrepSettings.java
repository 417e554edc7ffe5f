package dev.aimnext.operators.dataset.stage;

import dev.aimnext.operators.dataset.model.DatasetFormat;
import dev.aimnext.operators.dataset.validate.OverLengthPolicy;

import java.io.Serializable;

/**
 * What the preparation stages need to know, shipped to every task with the functions.
 *
 * @param formatOverride read every file as this format, or {@code null} to detect per file
 * @param maxTokens the token limit, or 0 for none
 * @param overLength what to do with a row over the limit
 * @param piiScrub mask PII with the default guardrail policy
 * @param nearDupThreshold the Jaccard similarity at or above which rows are near-duplicates; 0 turns it off
 * @param evalFraction the share of rows, by content hash, that goes to eval
 * @param tokenization templating, token counting, masks and packing
 * @param pii how rows are scrubbed when {@code piiScrub} is on
 */
public record PrepSettings(
        DatasetFormat formatOverride,
        int maxTokens,
        OverLengthPolicy overLength,
        boolean piiScrub,
        double nearDupThreshold,
        double evalFraction,
        TokenizationSettings tokenization,
        PiiScrubSettings pii) implements Serializable {

    /** MinHash functions per signature: 128 is datasketch's default, enough for ±0.05 at 0.8. */
    public static final int NUM_HASHES = 128;

    /** The seed of the hash family; fixed so band keys agree across task managers and runs. */
    public static final long MINHASH_SEED = 0x5eedL;

    public PrepSettings {
        if (maxTokens < 0) {
            throw new IllegalArgumentException("max tokens must not be negative, was " + maxTokens);
        }
        if (!(nearDupThreshold == 0 || (nearDupThreshold > 0 && nearDupThreshold < 1))) {
            throw new IllegalArgumentException("near-dup threshold must be in (0, 1) or 0 for off, was " + nearDupThreshold);
        }
        if (!(evalFraction >= 0 && evalFraction < 1)) {
            throw new IllegalArgumentException("eval fraction must be in [0, 1), was " + evalFraction);
        }
        if (overLength == null) {
            overLength = OverLengthPolicy.DROP;
        }
        if (tokenization == null) {
            tokenization = TokenizationSettings.none();
        }
        if (pii == null) {
            pii = PiiScrubSettings.defaults();
        }
    }

    /** Settings that mask PII with the default policy. */
    public PrepSettings(DatasetFormat formatOverride, int maxTokens, OverLengthPolicy overLength, boolean piiScrub,
            double nearDupThreshold, double evalFraction, TokenizationSettings tokenization) {
        this(formatOverride, maxTokens, overLength, piiScrub, nearDupThreshold, evalFraction, tokenization,
                PiiScrubSettings.defaults());
    }

    /** Settings with messages-only output and estimated token counts. */
    public PrepSettings(DatasetFormat formatOverride, int maxTokens, OverLengthPolicy overLength, boolean piiScrub,
            double nearDupThreshold, double evalFraction) {
        this(formatOverride, maxTokens, overLength, piiScrub, nearDupThreshold, evalFraction, TokenizationSettings.none(),
                PiiScrubSettings.defaults());
    }

    public boolean nearDupEnabled() {
        return nearDupThreshold > 0;
    }
}
