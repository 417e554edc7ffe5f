package dev.aimnext.operators.qos.rebalance.stage;

import dev.aimnext.operators.qos.placement.GpuPlacement;
import dev.aimnext.operators.qos.placement.ModelSlot;
import dev.aimnext.operators.qos.placement.PartitionSlot;
import dev.aimnext.operators.qos.placement.Priority;
import dev.aimnext.operators.qos.rebalance.ModelHistory;
import dev.aimnext.operators.qos.rebalance.PlacementWriter;
import dev.aimnext.operators.qos.rebalance.RebalanceSettings;
import dev.aimnext.operators.qos.slo.ModelSlo;
import dev.aimnext.schemas.event.GpuSample;
import dev.aimnext.schemas.event.LatencyQuantiles;
import dev.aimnext.schemas.event.PartitionPlan;
import dev.aimnext.schemas.event.QosWindow;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RebalanceFunctionTest {

    private static final long GIB = 1L << 30;

    private static final GpuPlacement PLACEMENT = new GpuPlacement("gpu0", "QPX", "NPS1", List.of(
            new PartitionSlot("gpu0/p0", 48 * GIB, 0.25, List.of(
                    new ModelSlot("chat", Priority.HIGH, 16 * GIB, 12 * GIB, 4 * GIB),
                    new ModelSlot("batch", Priority.LOW, 16 * GIB, 4 * GIB, 2 * GIB))),
            new PartitionSlot("gpu0/p1", 48 * GIB, 0.25, List.of())));

    private static final List<ModelSlo> SLOS = List.of(new ModelSlo("chat", 500, 0, 0, Priority.HIGH, 0, 0));

    private static QosWindow window(String model, String partition, long endMs, double rate, double ttftP99) {
        LatencyQuantiles ttft = new LatencyQuantiles(ttftP99 / 2, ttftP99, ttftP99, ttftP99);
        LatencyQuantiles other = new LatencyQuantiles(1000.0, 1000.0, 1000.0, 1000.0);
        return new QosWindow(model, partition, "tumbling-10s", endMs - 10_000, endMs, Math.round(rate * 10), 0L, rate,
                ttft, other, other, Map.of(), 0.0, null);
    }

    private static KeyedTwoInputStreamOperatorTestHarness<String, QosWindow, GpuSample, PartitionPlan> harness(
            RebalanceSettings settings, OperatorSubtaskState restoreFrom) throws Exception {
        RebalanceFunction fn = new RebalanceFunction(settings, SLOS, PlacementWriter.write(PLACEMENT));
        KeyedTwoInputStreamOperatorTestHarness<String, QosWindow, GpuSample, PartitionPlan> h =
                new KeyedTwoInputStreamOperatorTestHarness<>(new KeyedCoProcessOperator<>(fn),
                        GpuKeys.windows(List.of(PLACEMENT)), GpuKeys.samples(), Types.STRING);
        h.setup();
        if (restoreFrom != null) {
            h.initializeState(restoreFrom);
        }
        h.open();
        return h;
    }

    /** Windows of batch (steady) and chat (p99 800 ms, over its 500 ms objective) from {@code from} to {@code to} s. */
    private static void feed(KeyedTwoInputStreamOperatorTestHarness<String, QosWindow, GpuSample, PartitionPlan> h,
            String batchPartition, int from, int to) throws Exception {
        for (int s = from; s <= to; s += 10) {
            long t = s * 1000L;
            h.processElement1(window("batch", batchPartition, t, 1, 100), t);
            h.processElement1(window("chat", "gpu0/p0", t, 2, 800), t);
        }
    }

    private static List<String> plans(KeyedTwoInputStreamOperatorTestHarness<String, QosWindow, GpuSample, PartitionPlan> h) {
        return h.extractOutputValues().stream().map(p -> p.getPlanId() + " dry=" + p.getDryRun()).toList();
    }

    @Test
    void placementAndCooldownsSurviveARestore() throws Exception {
        RebalanceSettings live = RebalanceSettings.defaults().withDryRun(false);
        OperatorSubtaskState snapshot;
        try (var h = harness(live, null)) {
            feed(h, "gpu0/p0", 10, 30);
            assertThat(plans(h)).containsExactly("gpu0@10000/t1 dry=false", "gpu0@30000/t3 dry=false");
            assertThat(h.extractOutputValues().get(1).getActions()).extracting(a -> a.getModel() + "->" + a.getToPartition())
                    .containsExactly("batch->gpu0/p1", "batch->null");
            snapshot = h.snapshot(1L, 31_000L);
        }
        try (var restored = harness(live, snapshot)) {
            // batch now reports from p1. chat stays over (these windows are synthetic), but batch is
            // gone from its partition and the move's cooldown holds back a mode change until 150 s.
            // Lost clocks would have allowed the mode change at once, a lost placement a new hint.
            feed(restored, "gpu0/p1", 40, 140);
            assertThat(plans(restored)).isEmpty();
            feed(restored, "gpu0/p1", 150, 150);
            assertThat(plans(restored)).containsExactly("gpu0@150000/t4 dry=false");
            assertThat(restored.extractOutputValues().get(0).getActions().get(0).getParameters())
                    .containsEntry("requiresDrain", "true");
        }
        try (var fresh = harness(live, null)) {
            // Without the restored state the operator would start over from the initial placement.
            feed(fresh, "gpu0/p0", 40, 40);
            assertThat(plans(fresh)).containsExactly("gpu0@40000/t1 dry=false");
        }
    }

    @Test
    void modelHistoriesAreKeptAsFlinkPojosNotKryo() {
        assertThat(TypeInformation.of(ModelHistory.class)).isInstanceOf(PojoTypeInfo.class);
    }

    @Test
    void dryRunPlansLeaveThePlacementAsItWas() throws Exception {
        try (var h = harness(RebalanceSettings.defaults(), null)) {
            feed(h, "gpu0/p0", 10, 150);
            // The move is advised again once its cooldown has passed, because nothing was applied.
            assertThat(plans(h)).containsExactly("gpu0@10000/t1 dry=true", "gpu0@30000/t3 dry=true",
                    "gpu0@150000/t3 dry=true");
        }
    }

    @Test
    void windowsOfAnUnknownGpuAreDroppedAndKeysFallBackToThePartitionPrefix() throws Exception {
        assertThat(GpuKeys.windows(List.of(PLACEMENT)).getKey(window("chat", "gpu0/dpx1", 10_000, 1, 1))).isEqualTo("gpu0");
        assertThat(GpuKeys.windows(List.of(PLACEMENT)).getKey(window("x", "gpu7/p3", 10_000, 1, 1))).isEqualTo("gpu7");
        try (var h = harness(RebalanceSettings.defaults(), null)) {
            for (long t = 10_000; t <= 60_000; t += 10_000) {
                h.processElement1(window("x", "gpu7/p3", t, 5, 5_000), t);
            }
            assertThat(h.extractOutputValues()).isEmpty();
        }
    }
}
