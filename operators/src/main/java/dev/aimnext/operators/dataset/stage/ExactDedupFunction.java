package dev.aimnext.operators.dataset.stage;

import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.GlobalWindow;
import org.apache.flink.util.Collector;

import java.util.List;

/**
 * Exact dedup, one key ({@link dev.aimnext.operators.dataset.dedup.ExactDedupKey}) at a time over an
 * end-of-stream window: keeps the lowest row id ({@link RowOrder}) so the result is the same at any
 * parallelism, and sends every other copy to {@link ReadFileFunction#REJECTS} as
 * {@value DatasetReject#EXACT_DUPLICATE}, naming the row it duplicates.
 */
public class ExactDedupFunction extends ProcessWindowFunction<PreparedRow, PreparedRow, String, GlobalWindow> {

    private static final long serialVersionUID = 1L;

    @Override
    public void process(String key, Context ctx, Iterable<PreparedRow> rows, Collector<PreparedRow> out) {
        PreparedRow keep = null;
        for (PreparedRow row : rows) {
            if (keep == null || RowOrder.compare(row.rowId, keep.rowId) < 0) {
                keep = row;
            }
        }
        DatasetStats stats = new DatasetStats();
        for (PreparedRow row : rows) {
            if (row != keep) {
                stats.exactDuplicates++;
                ctx.output(ReadFileFunction.REJECTS, DatasetReject.of(RowOrder.file(row.rowId), row.rowId,
                        List.of(DatasetReject.EXACT_DUPLICATE), List.of("same normalized text as " + keep.rowId)));
            }
        }
        if (stats.exactDuplicates > 0) {
            ctx.output(ReadFileFunction.STATS, stats);
        }
        out.collect(keep);
    }
}
