package dev.aimnext.operators.dataset.stage;

import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Assigns a kept row to train or eval from its content hash, so the same row lands in the same split
 * on every run and at any parallelism, and a row that reappears in a later version of the dataset
 * stays on its side. Emits the row's share of the manifest to {@link ReadFileFunction#STATS}.
 */
public class SplitAssigner extends ProcessFunction<PreparedRow, PreparedRow> {

    private static final long serialVersionUID = 1L;

    public static final String TRAIN = "train";
    public static final String EVAL = "eval";

    private final double evalFraction;

    public SplitAssigner(double evalFraction) {
        this.evalFraction = evalFraction;
    }

    /** The split of a row with this exact-dedup key (hex SHA-256). */
    public static String splitOf(String exactKey, double evalFraction) {
        long bits = Long.parseUnsignedLong(exactKey.substring(0, 16), 16);
        double unit = (bits >>> 11) * 0x1.0p-53;
        return unit < evalFraction ? EVAL : TRAIN;
    }

    @Override
    public void processElement(PreparedRow row, Context ctx, Collector<PreparedRow> out) {
        row.split = splitOf(row.exactKey, evalFraction);
        DatasetStats stats = new DatasetStats();
        if (EVAL.equals(row.split)) {
            stats.evalRows = 1;
        } else {
            stats.trainRows = 1;
            stats.trainTokens = row.tokens;
            stats.trainLossTokens = row.lossTokens;
        }
        stats.keptTokens.add(row.tokens);
        stats.keptKeys.add(row.exactKey);
        ctx.output(ReadFileFunction.STATS, stats);
        out.collect(row);
    }
}
