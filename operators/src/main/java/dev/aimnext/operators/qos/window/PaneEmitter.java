package dev.aimnext.operators.qos.window;

import dev.aimnext.operators.qos.sketch.QosAccumulator;

import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/** Attaches the key and the window bounds to a finished pane accumulator. */
public final class PaneEmitter
        extends ProcessWindowFunction<QosAccumulator, QosPane, Tuple2<String, String>, TimeWindow> {

    private static final long serialVersionUID = 1L;

    @Override
    public void process(Tuple2<String, String> key, Context context, Iterable<QosAccumulator> accumulators,
            Collector<QosPane> out) {
        TimeWindow window = context.window();
        for (QosAccumulator acc : accumulators) { // exactly one with incremental aggregation
            out.collect(new QosPane(key.f0, key.f1, window.getStart(), window.getEnd(), acc));
        }
    }
}
