package dev.aimnext.operators.dataset.stage;

import org.apache.flink.streaming.api.functions.windowing.ProcessAllWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.GlobalWindow;
import org.apache.flink.util.Collector;

/**
 * Merges every stage's {@link DatasetStats} at the end of input and emits {@code manifest.json}; fails
 * the job with {@link NoValidRowsException} when nothing is left to train on.
 */
public class ManifestFunction extends ProcessAllWindowFunction<DatasetStats, String, GlobalWindow> {

    private static final long serialVersionUID = 1L;

    private final PrepSettings settings;

    public ManifestFunction(PrepSettings settings) {
        this.settings = settings;
    }

    @Override
    public void process(Context ctx, Iterable<DatasetStats> elements, Collector<String> out) {
        DatasetStats total = new DatasetStats();
        elements.forEach(total::merge);
        out.collect(DatasetManifest.toJson(total, settings));
    }
}
