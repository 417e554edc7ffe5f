package dev.aimnext.operators.dataset.stage;

import dev.aimnext.operators.dataset.tokenize.SequencePacker;
import dev.aimnext.operators.dataset.tokenize.TokenizedSequence;

import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.GlobalWindow;
import org.apache.flink.util.Collector;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns the tokenized rows of one split (the key) into training sequences at the end of input,
 * packed into {@code max_seq_len} by {@link SequencePacker} or one per row. Rows are first put in
 * {@link RowOrder}, so the output does not depend on parallelism or arrival order. Emits the
 * sequence counts for the manifest to {@link ReadFileFunction#STATS}.
 */
public class PackSequencesFunction extends ProcessWindowFunction<PreparedRow, TokenizedSequence, String, GlobalWindow> {

    private static final long serialVersionUID = 1L;

    private final int maxSeqLen;

    public PackSequencesFunction(int maxSeqLen) {
        this.maxSeqLen = maxSeqLen;
    }

    @Override
    public void process(String split, Context ctx, Iterable<PreparedRow> rows, Collector<TokenizedSequence> out) {
        List<PreparedRow> sorted = new ArrayList<>();
        rows.forEach(sorted::add);
        sorted.sort((a, b) -> RowOrder.compare(a.rowId, b.rowId));
        List<SequencePacker.Item> items = new ArrayList<>(sorted.size());
        for (PreparedRow row : sorted) {
            items.add(new SequencePacker.Item(row.rowId, row.inputIds, row.labels));
        }
        DatasetStats stats = new DatasetStats();
        for (TokenizedSequence seq : new SequencePacker(maxSeqLen).pack(items, split)) {
            stats.sequences++;
            stats.sequenceTokens += seq.inputIds.length;
            out.collect(seq);
        }
        ctx.output(ReadFileFunction.STATS, stats);
    }
}
