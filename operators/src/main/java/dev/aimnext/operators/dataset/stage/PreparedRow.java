package dev.aimnext.operators.dataset.stage;

import java.util.HashMap;
import java.util.Map;

/**
 * A validated, scrubbed row on its way through dedup and split. A Flink POJO (public fields, no-arg
 * constructor) so it is serialized without Kryo.
 *
 * <p>{@link #json} is the output line without the token field order changing between runs; it is
 * built once when the row is read, after the PII scrub, so later stages never touch the text.
 */
public class PreparedRow {

    /** {@code file#n}, see {@link RowOrder}. */
    public String rowId;
    /** The output line: {@code {"messages":[...], "weights"?, "rejected"?, "tools"?, "tokens", "source"}}. */
    public String json;
    /** {@link dev.aimnext.operators.dataset.dedup.ExactDedupKey} of the scrubbed conversation. */
    public String exactKey;
    /** Tokens of the rendered conversation (or of the message text without a template). */
    public int tokens;
    /** Tokens the loss trains on. */
    public int lossTokens;
    /** Token ids for packing and Parquet output; {@code null} when not asked for. */
    public int[] inputIds;
    /** Labels aligned with {@link #inputIds}, -100 where the loss does not train. */
    public int[] labels;
    /** MinHash signature of the normalized text; {@code null} when near-dup dedup is off. */
    public int[] signature;
    /** PII entities masked in this row, by type. */
    public Map<String, Integer> piiFound = new HashMap<>();
    /** {@code train} or {@code eval} once split; {@code null} before. */
    public String split;

    public PreparedRow() {}

    /** A shallow copy without the MinHash signature. */
    public PreparedRow withoutSignature() {
        PreparedRow copy = new PreparedRow();
        copy.rowId = rowId;
        copy.json = json;
        copy.exactKey = exactKey;
        copy.tokens = tokens;
        copy.lossTokens = lossTokens;
        copy.inputIds = inputIds;
        copy.labels = labels;
        copy.piiFound = piiFound;
        copy.split = split;
        return copy;
    }
}
