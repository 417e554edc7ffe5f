package dev.aimnext.operators.dataset.tokenize;

/**
 * One training sequence, pre-tokenized: a single conversation, or several packed into
 * {@code max_seq_len}. The layout follows what Transformers' {@code DataCollatorWithFlattening}
 * reads for packed batches: {@code position_ids} restart at 0 at every sequence boundary, and
 * {@code labels} hold -100 where the loss must not train (prompt tokens when training on the
 * assistant only). A Flink POJO (public fields, no-arg constructor).
 */
public class TokenizedSequence {

    /** The label value that Transformers' cross-entropy ignores. */
    public static final int IGNORE_INDEX = -100;

    /** {@code train} or {@code eval}. */
    public String split;
    /** Token ids of all packed conversations, back to back. */
    public int[] inputIds;
    /** Per token: its id where it is trained on, {@link #IGNORE_INDEX} elsewhere. */
    public int[] labels;
    /** Per token: its position within its own conversation. */
    public int[] positionIds;
    /** Token count of each packed conversation, in order; they sum to {@code inputIds.length}. */
    public int[] sequenceLengths;
    /** Source row ids of the packed conversations, in the same order. */
    public String[] sources;

    public TokenizedSequence() {}
}
