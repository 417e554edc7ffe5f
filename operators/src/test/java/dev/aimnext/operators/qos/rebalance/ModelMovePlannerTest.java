package dev.aimnext.operators.qos.rebalance;

import dev.aimnext.operators.qos.placement.GpuPlacement;
import dev.aimnext.operators.qos.placement.Priority;
import dev.aimnext.operators.qos.slo.ModelSlo;
import dev.aimnext.schemas.event.PartitionPlan;
import dev.aimnext.schemas.event.PlanAction;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static dev.aimnext.operators.qos.rebalance.Fixtures.GIB;
import static dev.aimnext.operators.qos.rebalance.Fixtures.GPU;
import static dev.aimnext.operators.qos.rebalance.Fixtures.qpx;
import static dev.aimnext.operators.qos.rebalance.Fixtures.slo;
import static dev.aimnext.operators.qos.rebalance.Fixtures.slot;
import static dev.aimnext.operators.qos.rebalance.Fixtures.window;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ModelMovePlannerTest {

    /** chat (HIGH) shares p0 with batch (LOW); p1 is empty. */
    private static final GpuPlacement SHARED = new GpuPlacement(GPU, "QPX", "NPS1", List.of(
            qpx("p0", slot("chat", Priority.HIGH, 16, 12, 4), slot("batch", Priority.LOW, 16, 4, 2)), qpx("p1")));

    private static final List<ModelSlo> SLOS = List.of(slo("chat", 500, Priority.HIGH));

    /** A tier context after {@code windows} windows of chat at 2/s and p99 800 ms, batch at {@code batchRates}. */
    private static TierContext context(RebalanceSettings s, GpuPlacement placement, List<ModelSlo> slos,
            Map<String, double[]> rates, Map<String, Double> ttft) {
        GpuState state = new GpuState(placement);
        Map<String, ModelSlo> byModel = new TreeMap<>();
        slos.forEach(x -> byModel.put(x.model(), x));
        int windows = rates.values().iterator().next().length;
        for (int i = 0; i < windows; i++) {
            for (Map.Entry<String, double[]> e : rates.entrySet()) {
                String model = e.getKey();
                double p99 = ttft.getOrDefault(model, 100.0);
                var w = window(model, placement.partitionOf(model).orElseThrow().partitionId(), 10_000L * (i + 1),
                        e.getValue()[i], p99);
                state.history(model).observe(w, PressureModel.sloPressure(byModel.get(model), p99, 0, 0),
                        s.pressureTrigger(), s.historyWindows());
            }
        }
        return new TierContext(s, new PressureModel(s, byModel, state.histories()), state, 10_000L * windows, "chat");
    }

    private static Optional<Proposal> propose(double tau) {
        RebalanceSettings s = RebalanceSettings.defaults().withTau(tau);
        // Loads: chat 2/s × 16 GiB = 32, batch 1/s × 16 GiB = 16. Moving batch out leaves chat 32/48
        // of its load: predicted pressure 1.6 × 2/3 = 1.067, a gain of 1/3.
        return ModelMovePlanner.propose(context(s, SHARED, SLOS,
                Map.of("chat", new double[] {2, 2, 2}, "batch", new double[] {1, 1, 1}), Map.of("chat", 800.0)));
    }

    @Test
    void aMoveIsProposedOnlyWhenItsGainExceedsTau() {
        Optional<Proposal> move = propose(0.3);
        assertThat(move).hasValueSatisfying(p -> {
            assertThat(p.tier()).isEqualTo(3);
            assertThat(p.pressureBefore()).isCloseTo(1.6, within(1e-9));
            assertThat(p.pressureAfter()).isCloseTo(1.6 * 2 / 3, within(1e-9));
            assertThat(p.gain()).isCloseTo(1.0 / 3, within(1e-9));
            // The less important model moves, keeping its KV budget.
            assertThat(p.actions()).singleElement().satisfies(a -> {
                assertThat(a.getModel()).isEqualTo("batch");
                assertThat(a.getFromPartition()).isEqualTo("gpu0/p0");
                assertThat(a.getToPartition()).isEqualTo("gpu0/p1");
                assertThat(a.getParameters()).containsEntry("kvBudgetBytes", Long.toString(4 * GIB));
            });
            assertThat(p.trigger().text()).isEqualTo("slo-burn:model=chat ttft_p99_ms=800.0>500.0");
        });
        assertThat(propose(0.4)).isEmpty();
    }

    @Test
    void oneBadWindowIsNotEnoughForAMove() {
        RebalanceSettings s = RebalanceSettings.defaults();
        TierContext ctx = context(s, SHARED, SLOS, Map.of("chat", new double[] {2}, "batch", new double[] {1}),
                Map.of("chat", 800.0));
        assertThat(ModelMovePlanner.propose(ctx)).isEmpty();
    }

    @Test
    void aTargetMustHoldTheWeightsPlusTheKvFloor() {
        // p1 has 48 - 30 = 18 GiB free: batch (16 + 2 floor) fits with its budget cut to 2 GiB, chat
        // (16 + 4 floor) does not fit at all.
        GpuPlacement tight = new GpuPlacement(GPU, "QPX", "NPS1", List.of(
                qpx("p0", slot("chat", Priority.HIGH, 16, 12, 4), slot("batch", Priority.LOW, 16, 4, 2)),
                qpx("p1", slot("code", Priority.LOW, 10, 20, 10))));
        TierContext ctx = context(RebalanceSettings.defaults(), tight, SLOS,
                Map.of("chat", new double[] {2, 2, 2}, "batch", new double[] {1, 1, 1}, "code", new double[] {0, 0, 0}),
                Map.of("chat", 800.0));
        List<String> moves = ModelMovePlanner.candidates(ctx).stream()
                .map(c -> c.model().model() + "->" + c.to().partitionId() + "@" + c.moved().kvBudgetBytes() / GIB).toList();
        assertThat(moves).containsExactlyInAnyOrder("batch->gpu0/p1@2");
    }

    @Test
    void aHighModelIsNeverMovedNextToABurstyOne() {
        // p0: chat (HIGH) + sum (MEDIUM, heavy); p1: batch (LOW) with room for chat but not for sum;
        // p2: code (MEDIUM, near its objective) with room for chat or batch only. Moving chat next to
        // batch is the best move by pressure alone.
        GpuPlacement placement = new GpuPlacement(GPU, "QPX", "NPS1", List.of(
                qpx("p0", slot("chat", Priority.HIGH, 8, 8, 2), slot("sum", Priority.MEDIUM, 8, 20, 20)),
                qpx("p1", slot("batch", Priority.LOW, 8, 16, 2)),
                qpx("p2", slot("code", Priority.MEDIUM, 8, 30, 20))));
        List<ModelSlo> slos = List.of(slo("chat", 500, Priority.HIGH), slo("code", 500, Priority.MEDIUM));
        Map<String, Double> ttft = Map.of("chat", 800.0, "code", 450.0);
        double[] chat = {2, 2, 2, 2, 2, 2};
        double[] sum = {4, 4, 4, 4, 4, 4};
        double[] code = {2, 2, 2, 2, 2, 2};

        TierContext steady = context(RebalanceSettings.defaults(), placement, slos, Map.of("chat", chat, "sum", sum,
                "code", code, "batch", new double[] {1, 1, 1, 1, 1, 1}), ttft);
        assertThat(ModelMovePlanner.propose(steady)).hasValueSatisfying(p -> assertThat(p.actions())
                .extracting(a -> a.getModel() + "->" + a.getToPartition()).containsExactly("chat->gpu0/p1"));

        TierContext bursty = context(RebalanceSettings.defaults(), placement, slos, Map.of("chat", chat, "sum", sum,
                "code", code, "batch", new double[] {0.2, 1, 0.2, 1, 0.2, 1}), ttft);
        assertThat(bursty.pressure().isBursty("batch")).isTrue();
        Optional<Proposal> p = ModelMovePlanner.propose(bursty);
        p.ifPresent(x -> assertThat(x.expected().partitionOf("chat").orElseThrow().model("batch")).isEmpty());
        assertThat(p).isEmpty();
    }

    @Test
    void aHighModelIsSeparatedFromABurstyNeighbourBeforeItsSloSuffers() {
        TierContext ctx = context(RebalanceSettings.defaults(), SHARED, SLOS,
                Map.of("chat", new double[] {2, 2, 2, 2}, "batch", new double[] {0.1, 3, 0.1, 3}), Map.of("chat", 300.0));
        assertThat(ModelMovePlanner.propose(ctx)).hasValueSatisfying(p -> {
            assertThat(p.trigger().text()).startsWith("bursty-neighbour:model=chat neighbour=batch rate_cv=");
            assertThat(p.actions()).extracting(a -> a.getModel() + "->" + a.getToPartition())
                    .containsExactly("batch->gpu0/p1");
            assertThat(p.pressureAfter()).isLessThan(p.pressureBefore());
        });
    }

    @Test
    void movesWaitForTheirCooldownInEventTime() {
        RebalanceSettings s = RebalanceSettings.defaults().withCooldowns(30_000, 60_000, 120_000, 3_600_000, 20_000);
        Rebalancer r = new Rebalancer(s, SLOS, List.of(SHARED));
        List<String> plans = new ArrayList<>();
        for (long t = 10_000; t <= 200_000; t += 10_000) {
            for (PartitionPlan p : r.onWindow(window("batch", "gpu0/p0", t, 1, 100))) {
                plans.add(p.getCreatedAtMs() / 1000 + "s:t" + p.getTier());
            }
            for (PartitionPlan p : r.onWindow(window("chat", "gpu0/p0", t, 2, 800))) {
                plans.add(p.getCreatedAtMs() / 1000 + "s:t" + p.getTier());
            }
        }
        // Dry-run, so the move never happens and the advice repeats, but only once per 120 s cooldown;
        // the hint is given once, and no partition mode change is proposed while a move cools down.
        assertThat(plans).containsExactly("10s:t1", "30s:t3", "150s:t3");
    }

    @Test
    void aMovedModelsAdmissionLimitIsLifted() {
        RebalanceSettings s = RebalanceSettings.defaults();
        TierContext ctx = context(s, SHARED, SLOS,
                Map.of("chat", new double[] {2, 2, 2}, "batch", new double[] {1, 1, 1}), Map.of("chat", 800.0));
        ctx.state().admissionLimits().put("batch", 2.0);
        assertThat(ModelMovePlanner.propose(ctx)).hasValueSatisfying(p -> assertThat(p.actions())
                .extracting(PlanAction::getKind).extracting(Enum::name).containsExactly("MOVE_MODEL", "ADMISSION_LIMIT"));
    }
}
