package dev.aimnext.operators.dataset.stage;

import java.util.ArrayList;
import java.util.List;

/**
 * One line of {@code rejects.jsonl}: where the row is and why it was left out. It never carries the
 * row's text, which may hold PII; the messages name positions only.
 */
public class DatasetReject {

    /** A dedup stage dropped the row; it is counted under dedup, not under rejected. */
    public static final String EXACT_DUPLICATE = "exact_duplicate";

    public static final String NEAR_DUPLICATE = "near_duplicate";

    /** No sampled row of the file matched a known format, so the whole file was skipped. */
    public static final String UNRECOGNIZED_FORMAT = "unrecognized_format";

    /** The PII policy blocks a row outright. */
    public static final String PII_BLOCKED = "pii_blocked";
    /** An input location (a URI through Flink's file systems) could not be read. */
    public static final String UNREADABLE_INPUT = "unreadable_input";
    /** PII was found and the settings drop such rows rather than mask them. */
    public static final String PII_FOUND = "pii_found";
    /** The chat template refused the conversation or failed on it. */
    public static final String TEMPLATE_ERROR = "template_error";
    /** The rendered conversation is longer than the packing sequence length. */
    public static final String OVER_MAX_SEQ_LEN = "over_max_seq_len";

    public String file;
    public String rowId;
    public List<String> reasons = new ArrayList<>();
    public List<String> messages = new ArrayList<>();

    public DatasetReject() {}

    public static DatasetReject of(String file, String rowId, List<String> reasons, List<String> messages) {
        DatasetReject r = new DatasetReject();
        r.file = file;
        r.rowId = rowId;
        r.reasons = new ArrayList<>(reasons);
        r.messages = new ArrayList<>(messages);
        return r;
    }
}
