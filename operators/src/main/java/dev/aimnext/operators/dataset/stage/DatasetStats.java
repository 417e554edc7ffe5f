package dev.aimnext.operators.dataset.stage;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Partial counts that every stage emits and one final task merges into the manifest. Merging is
 * associative and commutative, so the result does not depend on how records were partitioned.
 */
public class DatasetStats {

    public long rowsIn;
    public long rejectedRows;
    public Map<String, Long> rejectedByReason = new HashMap<>();
    public long exactDuplicates;
    public long nearDuplicates;
    public Map<String, Long> piiByType = new HashMap<>();
    public long trainRows;
    public long evalRows;
    public long trainTokens;
    /** Tokens of the train split that the loss trains on. */
    public long trainLossTokens;
    /** Training sequences written to Parquet (packed or one per conversation). */
    public long sequences;
    /** Tokens in those sequences. */
    public long sequenceTokens;
    /** Estimated tokens of every kept row. */
    public List<Integer> keptTokens = new ArrayList<>();
    /** Exact-dedup keys of every kept row, for the dataset hash. */
    public List<String> keptKeys = new ArrayList<>();

    public DatasetStats() {}

    public DatasetStats merge(DatasetStats o) {
        rowsIn += o.rowsIn;
        rejectedRows += o.rejectedRows;
        o.rejectedByReason.forEach((k, v) -> rejectedByReason.merge(k, v, Long::sum));
        exactDuplicates += o.exactDuplicates;
        nearDuplicates += o.nearDuplicates;
        o.piiByType.forEach((k, v) -> piiByType.merge(k, v, Long::sum));
        trainRows += o.trainRows;
        evalRows += o.evalRows;
        trainTokens += o.trainTokens;
        trainLossTokens += o.trainLossTokens;
        sequences += o.sequences;
        sequenceTokens += o.sequenceTokens;
        keptTokens.addAll(o.keptTokens);
        keptKeys.addAll(o.keptKeys);
        return this;
    }

    public long keptRows() {
        return trainRows + evalRows;
    }
}
