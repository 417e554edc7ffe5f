package dev.aimnext.operators.qos.window;

import dev.aimnext.operators.qos.placement.Priority;
import dev.aimnext.operators.qos.sketch.QosAccumulator;
import dev.aimnext.operators.qos.slo.ModelSlo;
import dev.aimnext.operators.qos.slo.SloCatalog;
import dev.aimnext.schemas.event.QosWindow;
import dev.aimnext.schemas.event.RequestStatus;
import dev.aimnext.schemas.event.RequestTelemetry;

import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class QosRollupTest {

    private static final ModelSlo SLO = new ModelSlo("m", 200, 0, 0, Priority.HIGH, 0, 0);
    private static final long T0 = 1_700_000_000_000L; // a multiple of 10 s

    /** A pane with {@code fast} requests within the TTFT objective and {@code slow} outside it. */
    static QosPane pane(long start, int fast, int slow) {
        QosAccumulator acc = new QosAccumulator(0.005);
        for (int i = 0; i < fast + slow; i++) {
            double ttft = i < fast ? 100 : 400;
            acc.add(RequestTelemetry.newBuilder().setRequestId("r").setModel("m").setPartitionId("g/0")
                    .setTtftMs(ttft).setTpotMs(10).setE2eMs(ttft + 500).setPromptTokens(5).setCompletionTokens(10)
                    .setStatus(RequestStatus.OK).setEventTimeMs(start).build(), SLO);
        }
        return new QosPane("m", "g/0", start, start + 10_000, acc);
    }

    private KeyedOneInputStreamOperatorTestHarness<Tuple2<String, String>, QosPane, QosReport> harness()
            throws Exception {
        return ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                new QosRollup(new SloCatalog(List.of(SLO))), new QosKey.OfPane(), QosKey.TYPE);
    }

    @Test
    void emitsTumblingAtOnceAndSlidingAndBurnWhenTheWatermarkPasses() throws Exception {
        try (var h = harness()) {
            h.processElement(pane(T0, 90, 10), T0 + 9_999);
            h.processElement(pane(T0 + 10_000, 100, 0), T0 + 19_999);

            List<QosWindow> tumbling = windows(h);
            assertThat(tumbling).extracting(QosWindow::getWindowKind).containsOnly("tumbling-10s");
            assertThat(tumbling.get(0).getRequestCount()).isEqualTo(100);
            assertThat(tumbling.get(0).getSloAttainment()).isEqualTo(Map.of("ttft", 0.9, "all", 0.9));
            assertThat(tumbling.get(0).getErrorBudgetBurnRate()).isCloseTo(10.0, within(1e-9));
            assertThat(tumbling.get(0).getRatePerSec()).isEqualTo(10.0);
            h.getOutput().clear();

            h.processWatermark(T0 + 19_999);

            List<QosWindow> out = windows(h);
            // Sliding windows ending at T0+10s (first pane) and T0+20s (both), each with its burns.
            assertThat(out).extracting(QosWindow::getWindowKind).containsExactly(
                    "sliding-1m", "burn-5m", "burn-1h", "sliding-1m", "burn-5m", "burn-1h");
            QosWindow sliding = out.get(3);
            assertThat(sliding.getWindowStartMs()).isEqualTo(T0 + 20_000 - 60_000);
            assertThat(sliding.getWindowEndMs()).isEqualTo(T0 + 20_000);
            assertThat(sliding.getRequestCount()).isEqualTo(200);
            assertThat(sliding.getSloAttainment().get("all")).isEqualTo(0.95);
            assertThat(sliding.getTtftMs().getP99()).isCloseTo(400, within(2.0));
            QosWindow burn5m = out.get(4);
            assertThat(burn5m.getRequestCount()).isEqualTo(200);
            assertThat(burn5m.getErrorBudgetBurnRate()).isCloseTo(5.0, within(1e-9));
            assertThat(burn5m.getTtftMs().getP50()).isNaN();
            assertThat(out.get(5).getRatePerSec()).isCloseTo(200 / 3600.0, within(1e-12));
        }
    }

    @Test
    void slidingWindowsStopOneMinuteAfterTheLastPaneAndStateIsDropped() throws Exception {
        try (var h = harness()) {
            h.processElement(pane(T0, 10, 0), T0 + 9_999);
            h.processWatermark(T0 + 600_000);

            List<QosWindow> sliding = windows(h).stream()
                    .filter(w -> w.getWindowKind().equals("sliding-1m")).toList();
            assertThat(sliding).extracting(QosWindow::getWindowEndMs).containsExactly(
                    T0 + 10_000, T0 + 20_000, T0 + 30_000, T0 + 40_000, T0 + 50_000, T0 + 60_000);
            assertThat(sliding).allSatisfy(w -> assertThat(w.getRequestCount()).isEqualTo(10));
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void burnHourCoversPanesThatSlidingForgot() throws Exception {
        try (var h = harness()) {
            h.processElement(pane(T0, 0, 10), T0 + 9_999);                 // all miss
            h.processElement(pane(T0 + 600_000, 10, 0), T0 + 609_999);   // ten minutes later, all met
            h.processWatermark(T0 + 609_999);

            List<QosWindow> last = windows(h).subList(windows(h).size() - 3, windows(h).size());
            assertThat(last.get(0).getRequestCount()).as("sliding-1m").isEqualTo(10);
            assertThat(last.get(1).getRequestCount()).as("burn-5m").isEqualTo(10);
            assertThat(last.get(2).getRequestCount()).as("burn-1h").isEqualTo(20);
            assertThat(last.get(2).getErrorBudgetBurnRate()).isCloseTo(50.0, within(1e-9));
        }
    }

    private static List<QosWindow> windows(KeyedOneInputStreamOperatorTestHarness<?, QosPane, QosReport> h) {
        return h.extractOutputValues().stream().map(r -> r.window).toList();
    }
}
