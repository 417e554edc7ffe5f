package dev.aimnext.operators.dataset.stage;

import dev.aimnext.operators.dataset.dedup.BandKey;
import dev.aimnext.operators.dataset.dedup.LshBanding;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichFlatMapFunction;
import org.apache.flink.util.Collector;

/**
 * Emits a row once per LSH band, keyed by {@code band:bucket}, with bands × rows chosen for the
 * threshold by {@link LshBanding#forThreshold(double, int)}.
 */
public class LshBucketAssigner extends RichFlatMapFunction<PreparedRow, BucketMember> {

    private static final long serialVersionUID = 1L;

    private final double threshold;
    private transient LshBanding banding;

    public LshBucketAssigner(double threshold) {
        this.threshold = threshold;
    }

    @Override
    public void open(OpenContext openContext) {
        banding = LshBanding.forThreshold(threshold, PrepSettings.NUM_HASHES);
    }

    @Override
    public void flatMap(PreparedRow row, Collector<BucketMember> out) {
        for (BandKey key : banding.bandKeys(row.signature)) {
            out.collect(new BucketMember(key.band() + ":" + key.bucket(), row.rowId, row.signature));
        }
    }
}
