package dev.aimnext.operators.dataset.stage;

import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.GlobalWindow;
import org.apache.flink.util.Collector;

import java.util.List;
import java.util.Locale;

/**
 * Per row id: forwards the row unless some bucket voted it a near-duplicate, in which case it goes
 * to the rejects as {@value DatasetReject#NEAR_DUPLICATE} (once, however many buckets voted), naming
 * the lowest row it matches.
 */
public class NearDupRemovalFunction extends ProcessWindowFunction<NearDupVote, PreparedRow, String, GlobalWindow> {

    private static final long serialVersionUID = 1L;

    @Override
    public void process(String rowId, Context ctx, Iterable<NearDupVote> elements, Collector<PreparedRow> out) {
        PreparedRow row = null;
        NearDupVote vote = null;
        for (NearDupVote v : elements) {
            if (v.row != null) {
                row = v.row;
            } else if (vote == null || RowOrder.compare(v.duplicateOf, vote.duplicateOf) < 0) {
                vote = v;
            }
        }
        if (row == null) {
            return;
        }
        if (vote == null) {
            out.collect(row);
            return;
        }
        DatasetStats stats = new DatasetStats();
        stats.nearDuplicates = 1;
        ctx.output(ReadFileFunction.STATS, stats);
        ctx.output(ReadFileFunction.REJECTS, DatasetReject.of(RowOrder.file(rowId), rowId,
                List.of(DatasetReject.NEAR_DUPLICATE),
                List.of(String.format(Locale.ROOT, "estimated Jaccard %.2f with %s", vote.jaccard, vote.duplicateOf))));
    }
}
