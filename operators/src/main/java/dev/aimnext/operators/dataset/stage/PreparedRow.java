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
    /** Estimated tokens of the message text. */
    public int tokens;
    /** MinHash signature of the normalized text; {@code null} when near-dup dedup is off. */
    public long[] signature;
    /** PII entities masked in this row, by type. */
    public Map<String, Integer> piiFound = new HashMap<>();
    /** {@code train} or {@code eval} once split; {@code null} before. */
    public String split;

    public PreparedRow() {}
}
