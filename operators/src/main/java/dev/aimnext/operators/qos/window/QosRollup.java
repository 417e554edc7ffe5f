package dev.aimnext.operators.qos.window;

import dev.aimnext.operators.qos.sketch.QosAccumulator;
import dev.aimnext.operators.qos.sketch.QosAccumulatorTypeInfo;
import dev.aimnext.operators.qos.slo.ModelSlo;
import dev.aimnext.operators.qos.slo.SloCatalog;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Rolls 10-second panes of one (model, partition) up into every QoS window kind:
 *
 * <ul>
 *   <li>{@code tumbling-10s}: each pane as it arrives.
 *   <li>{@code sliding-1m}, every 10 s: the merge of the last six panes' sketches. This is exactly
 *       what a sliding window with the same aggregate would hold (DDSketch merges are exact), at one
 *       sketch update per request instead of six.
 *   <li>{@code burn-5m} and {@code burn-1h}, alongside each sliding window: sums of pane counters.
 * </ul>
 *
 * A sliding window ending at {@code t} is emitted when the watermark passes {@code t}, if it holds
 * a request, as Flink's sliding windows do; burn windows are emitted with it, so a key that has been
 * silent for a minute stops reporting. Panes must arrive in watermark order, as a window operator
 * without allowed lateness emits them.
 */
public final class QosRollup extends KeyedProcessFunction<Tuple2<String, String>, QosPane, QosReport> {

    private static final long serialVersionUID = 1L;

    private final SloCatalog slos;

    /** Recent panes by start, for the sliding window; at most six per key. */
    private transient MapState<Long, QosAccumulator> panes;
    private transient ValueState<BurnLedger> ledger;

    public QosRollup(SloCatalog slos) {
        this.slos = slos;
    }

    @Override
    public void open(OpenContext openContext) {
        panes = getRuntimeContext().getMapState(
                new MapStateDescriptor<>("qos-panes", Types.LONG, QosAccumulatorTypeInfo.INSTANCE));
        ledger = getRuntimeContext().getState(
                new ValueStateDescriptor<>("qos-burn-ledger", Types.POJO(BurnLedger.class)));
    }

    @Override
    public void processElement(QosPane pane, Context ctx, Collector<QosReport> out) throws Exception {
        ModelSlo slo = slos.lookup(pane.model);
        out.collect(QosWindowFactory.fromAccumulator(pane.model, pane.partitionId, QosWindowKind.TUMBLING_10S,
                pane.endMs, pane.accumulator, slo));
        panes.put(pane.startMs, pane.accumulator);
        BurnLedger burn = ledger.value();
        if (burn == null) {
            burn = BurnLedger.empty();
        }
        burn.record(pane.startMs, SloCounts.of(pane.accumulator));
        ledger.update(burn);
        // Every sliding window that contains this pane; window results carry end - 1 as timestamp.
        for (int k = 0; k < QosWindowKind.SLIDING_1M.panes(); k++) {
            ctx.timerService().registerEventTimeTimer(pane.endMs + k * QosWindowKind.PANE_MS - 1);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<QosReport> out) throws Exception {
        long end = timestamp + 1;
        long start = end - QosWindowKind.SLIDING_1M.sizeMs();
        QosAccumulator merged = null;
        List<Long> expired = new ArrayList<>();
        Iterator<Map.Entry<Long, QosAccumulator>> it = panes.iterator();
        while (it.hasNext()) {
            Map.Entry<Long, QosAccumulator> entry = it.next();
            long paneStart = entry.getKey();
            if (paneStart >= start && paneStart < end) {
                merged = merged == null ? entry.getValue().copy() : merged.merge(entry.getValue());
            }
            // Later windows end at least one pane later, so they start after this pane.
            if (paneStart < start + QosWindowKind.PANE_MS) {
                expired.add(paneStart);
            }
        }
        for (Long paneStart : expired) {
            panes.remove(paneStart);
        }
        if (merged == null || merged.requests() == 0) {
            return;
        }
        String model = ctx.getCurrentKey().f0;
        String partition = ctx.getCurrentKey().f1;
        ModelSlo slo = slos.lookup(model);
        out.collect(QosWindowFactory.fromAccumulator(model, partition, QosWindowKind.SLIDING_1M, end, merged, slo));
        BurnLedger burn = ledger.value();
        for (QosWindowKind kind : new QosWindowKind[] {QosWindowKind.BURN_5M, QosWindowKind.BURN_1H}) {
            out.collect(QosWindowFactory.fromCounts(model, partition, kind, end, burn.sum(end, kind.sizeMs()), slo));
        }
    }
}
