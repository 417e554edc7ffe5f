package dev.aimnext.operators.qos.rebalance;

import dev.aimnext.operators.qos.placement.ModelSlot;
import dev.aimnext.operators.qos.placement.PartitionSlot;
import dev.aimnext.operators.qos.placement.Priority;
import dev.aimnext.operators.qos.slo.ModelSlo;
import dev.aimnext.schemas.event.LatencyQuantiles;
import dev.aimnext.schemas.event.PlanAction;
import dev.aimnext.schemas.event.QosWindow;

import java.util.List;
import java.util.Map;

/** Small builders shared by the rebalancer tests. */
final class Fixtures {

    static final long GIB = 1L << 30;
    static final String GPU = "gpu0";
    static final long WINDOW_MS = 10_000;

    private Fixtures() {}

    static ModelSlot slot(String model, Priority p, long weightsGib, long kvGib, long floorGib) {
        return new ModelSlot(model, p, weightsGib * GIB, kvGib * GIB, floorGib * GIB);
    }

    static PartitionSlot qpx(String id, ModelSlot... models) {
        return new PartitionSlot(GPU + "/" + id, 48 * GIB, 0.25, List.of(models));
    }

    static ModelSlo slo(String model, double ttftMs, Priority p) {
        return new ModelSlo(model, ttftMs, 0, 0, p, 0, 0);
    }

    /** A tumbling-10s window ending at {@code endMs}, with a median e2e of 1 s. */
    static QosWindow window(String model, String partition, long endMs, double rate, double ttftP99) {
        LatencyQuantiles ttft = new LatencyQuantiles(ttftP99 / 2, ttftP99 * 0.8, ttftP99 * 0.9, ttftP99);
        LatencyQuantiles tpot = new LatencyQuantiles(20.0, 25.0, 28.0, 30.0);
        LatencyQuantiles e2e = new LatencyQuantiles(1000.0, 1500.0, 1800.0, 2000.0);
        return QosWindow.newBuilder()
                .setModel(model)
                .setPartitionId(partition)
                .setWindowKind("tumbling-10s")
                .setWindowStartMs(endMs - WINDOW_MS)
                .setWindowEndMs(endMs)
                .setRequestCount(Math.round(rate * 10))
                .setErrorCount(0)
                .setRatePerSec(rate)
                .setTtftMs(ttft)
                .setTpotMs(tpot)
                .setE2eMs(e2e)
                .setSloAttainment(Map.of("ttft", ttftP99 > 500 ? 0.9 : 1.0))
                .setErrorBudgetBurnRate(0)
                .build();
    }

    static String param(PlanAction a, String key) {
        return a.getParameters().get(key);
    }
}
