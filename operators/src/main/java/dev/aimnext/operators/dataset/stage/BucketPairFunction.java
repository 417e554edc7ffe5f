package dev.aimnext.operators.dataset.stage;

import dev.aimnext.operators.dataset.dedup.MinHasher;

import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.GlobalWindow;
import org.apache.flink.util.Collector;

import java.util.ArrayList;
import java.util.List;

/**
 * Confirms the candidate pairs of one LSH bucket: every pair whose estimated Jaccard similarity is at
 * or above the threshold votes against its higher row id ({@link RowOrder}), naming the lowest
 * earlier row it matches. A bucket holds only rows that agree on a whole band, so the pairwise loop
 * is over few rows; no task ever holds a global index.
 */
public class BucketPairFunction extends ProcessWindowFunction<BucketMember, NearDupVote, String, GlobalWindow> {

    private static final long serialVersionUID = 1L;

    private final double threshold;

    public BucketPairFunction(double threshold) {
        this.threshold = threshold;
    }

    @Override
    public void process(String bucket, Context ctx, Iterable<BucketMember> elements, Collector<NearDupVote> out) {
        List<BucketMember> members = new ArrayList<>();
        elements.forEach(members::add);
        if (members.size() < 2) {
            return;
        }
        members.sort((a, b) -> RowOrder.compare(a.rowId, b.rowId));
        for (int j = 1; j < members.size(); j++) {
            for (int i = 0; i < j; i++) {
                double jaccard = MinHasher.estimateJaccard(members.get(i).signature, members.get(j).signature);
                if (jaccard >= threshold) {
                    out.collect(NearDupVote.against(members.get(j).rowId, members.get(i).rowId, jaccard));
                    break;
                }
            }
        }
    }
}
