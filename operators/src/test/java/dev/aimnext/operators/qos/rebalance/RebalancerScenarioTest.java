package dev.aimnext.operators.qos.rebalance;

import dev.aimnext.operators.qos.placement.Priority;
import dev.aimnext.operators.qos.sim.Scenarios;
import dev.aimnext.operators.qos.sim.SimulationConfig;
import dev.aimnext.operators.qos.slo.ModelSlo;
import dev.aimnext.schemas.event.PartitionPlan;
import dev.aimnext.schemas.event.RequestTelemetry;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The acceptance scenario ({@link Scenarios#priorityWithBurstyNeighbour}): a HIGH-priority
 * chat model shares a QPX partition with a bursty LOW-priority batch model and misses its p99 TTFT
 * objective under static placement. With the rebalancer in the loop (default settings, plans
 * applied) it must reach 99% SLO attainment (requests within the TTFT objective), while static
 * placement stays below. Both figures, and the share of 10 s windows whose p99 meets the objective,
 * are printed per seed.
 *
 * <p>The simulator's documented seeds 1 to 3 must each reach 99%. Seeds 4 to 20 are scored pooled:
 * on some of them the first burst costs over 1% of the chat requests before any window can show it
 * (a reactive policy cannot act sooner), and the chat model alone still misses a few requests at its
 * own diurnal peak, so single seeds range from about 97.8% to 99.9%.
 */
class RebalancerScenarioTest {

    private static final double SLO_MS = Scenarios.CHAT_TTFT_P99_SLO_MS;
    private static final Map<String, ModelSlo> SLOS = Map.of(
            Scenarios.CHAT, new ModelSlo(Scenarios.CHAT, SLO_MS, 0, 0, Priority.HIGH, 0, 0));
    private static final int DOCUMENTED_SEEDS = 3;
    private static final int SEEDS = 20;

    @Test
    void theRebalancerLiftsTheHighPriorityModelToItsSloWhileStaticPlacementMissesIt() {
        long[] staticMet = new long[2];
        long[] loopMet = new long[2];
        System.out.println("seed | static: requests within TTFT SLO, windows with p99 within | rebalanced: same | plans");
        for (long seed = 1; seed <= SEEDS; seed++) {
            SimulationConfig config = Scenarios.priorityWithBurstyNeighbour(seed);
            ScenarioLoop.Run fixed = ScenarioLoop.staticPlacement(config);
            Rebalancer rebalancer = new Rebalancer(RebalanceSettings.defaults().withDryRun(false), SLOS.values(),
                    List.of(config.placement()));
            ScenarioLoop.Run loop = ScenarioLoop.rebalanced(config, rebalancer, SLOS);

            double staticRequests = fixed.requestAttainment(Scenarios.CHAT, SLO_MS);
            double loopRequests = loop.requestAttainment(Scenarios.CHAT, SLO_MS);
            double loopWindows = loop.windowAttainment(Scenarios.CHAT, SLO_MS);
            double staticWindows = fixed.windowAttainment(Scenarios.CHAT, SLO_MS);
            System.out.println(String.format(Locale.ROOT, "%2d | %.4f, %.3f | %.4f, %.3f | %s", seed, staticRequests,
                    staticWindows, loopRequests, loopWindows,
                    loop.plans().stream().map(RebalancerScenarioTest::describe).toList()));
            count(fixed, staticMet);
            count(loop, loopMet);

            assertThat(staticRequests).as("seed %d static", seed).isLessThan(0.99);
            assertThat(loopRequests).as("seed %d rebalanced vs static", seed).isGreaterThan(staticRequests);
            assertThat(loopWindows).as("seed %d rebalanced windows vs static", seed).isGreaterThan(staticWindows);
            if (seed <= DOCUMENTED_SEEDS) {
                assertThat(loopRequests).as("seed %d rebalanced", seed).isGreaterThanOrEqualTo(0.99);
            }
            // The fix is a move of the bursty LOW model, which the simulator carried out.
            assertThat(loop.plans()).anySatisfy(p -> {
                assertThat(p.getTier()).isEqualTo(3);
                assertThat(p.getActions().get(0).getModel()).isEqualTo(Scenarios.BATCH);
            });
            assertThat(loop.outcomes()).anyMatch(o -> o.planId().endsWith("/t3") && o.fullyApplied());
        }
        double pooledStatic = staticMet[0] / (double) staticMet[1];
        double pooledLoop = loopMet[0] / (double) loopMet[1];
        System.out.println(String.format(Locale.ROOT, "seeds 1-%d pooled: static %.4f, rebalanced %.4f of %d chat requests",
                SEEDS, pooledStatic, pooledLoop, loopMet[1]));
        assertThat(pooledStatic).isLessThan(0.99);
        assertThat(pooledLoop).isGreaterThanOrEqualTo(0.99);
    }

    /** Adds the chat requests within the objective and all chat requests of {@code run} to {@code met}. */
    private static void count(ScenarioLoop.Run run, long[] met) {
        for (RequestTelemetry r : run.requests()) {
            if (r.getModel().equals(Scenarios.CHAT)) {
                met[1]++;
                met[0] += r.getStatus() == dev.aimnext.schemas.event.RequestStatus.OK && r.getTtftMs() <= SLO_MS ? 1 : 0;
            }
        }
    }

    private static String describe(PartitionPlan p) {
        return p.getCreatedAtMs() / 1000 + "s t" + p.getTier() + " " + p.getActions().stream()
                .map(a -> a.getKind() + ":" + a.getModel() + (a.getToPartition() != null ? "->" + a.getToPartition() : ""))
                .toList() + " " + p.getTrigger();
    }
}
