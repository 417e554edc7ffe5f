package dev.aimnext.operators.qos.sim;

import static dev.aimnext.operators.qos.sim.SimFixtures.move;
import static dev.aimnext.operators.qos.sim.SimFixtures.plan;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aimnext.operators.qos.placement.GpuPlacement;
import dev.aimnext.operators.qos.placement.PartitionSlot;
import dev.aimnext.operators.qos.placement.Priority;
import dev.aimnext.schemas.event.RequestStatus;
import dev.aimnext.schemas.event.RequestTelemetry;
import org.junit.jupiter.api.Test;

import java.util.List;

class ScenariosTest {

    private static final double SLO = Scenarios.CHAT_TTFT_P99_SLO_MS;

    @Test
    void theBurstyNeighbourScenarioHasAnEmptyPartitionTheChatModelFits() {
        GpuPlacement placement = Scenarios.priorityWithBurstyNeighbour(1).placement();
        PartitionSlot shared = placement.partitionOf(Scenarios.CHAT).orElseThrow();
        assertThat(shared.partitionId()).isEqualTo(Scenarios.P0);
        assertThat(shared.model(Scenarios.BATCH).orElseThrow().priority()).isEqualTo(Priority.LOW);
        assertThat(placement.model(Scenarios.CHAT).orElseThrow().priority()).isEqualTo(Priority.HIGH);
        PartitionSlot empty = placement.partition(Scenarios.P2).orElseThrow();
        assertThat(empty.models()).isEmpty();
        assertThat(empty.freeBytes()).isGreaterThanOrEqualTo(placement.model(Scenarios.CHAT).orElseThrow().memoryBytes());
    }

    @Test
    void underStaticPlacementTheChatModelMissesItsSloInManyWindowsAndAMoveFixesIt() {
        for (long seed = 1; seed <= 3; seed++) {
            SimulationConfig config = Scenarios.priorityWithBurstyNeighbour(seed);
            List<RequestTelemetry> staticRun = SimFixtures.run(config).requests(Scenarios.CHAT);
            long staticMisses = TtftWindows.missedWindows(staticRun, SLO, 0);
            assertThat(TtftWindows.p99PerWindow(staticRun)).hasSize(60);
            assertThat(staticMisses).as("seed %d static", seed).isBetween(18L, 30L);

            TelemetryCollector out = new TelemetryCollector();
            ServingSimulator sim = new ServingSimulator(config, out);
            sim.runUntil(60_000);
            sim.apply(plan("move", move(Scenarios.CHAT, Scenarios.P0, Scenarios.P2)));
            sim.run();
            List<RequestTelemetry> moved = out.requests(Scenarios.CHAT);
            assertThat(TtftWindows.missedWindows(moved, SLO, 0)).as("seed %d moved", seed).isBetween(4L, 10L);
            assertThat(TtftWindows.missedWindows(moved, SLO, 90_000)).as("seed %d after the move", seed).isLessThanOrEqualTo(4);
            assertThat(moved).filteredOn(t -> t.getStatus() != RequestStatus.OK).isEmpty();
        }
    }

    @Test
    void theChatModelAloneMeetsItsSloAlmostEverywhere() {
        for (long seed = 1; seed <= 3; seed++) {
            SimulationConfig config = Scenarios.priorityWithBurstyNeighbour(seed);
            GpuPlacement alone = config.placement().move(Scenarios.CHAT, Scenarios.P2);
            List<RequestTelemetry> chat = SimFixtures.run(config.withPlacement(alone)).requests(Scenarios.CHAT);
            assertThat(TtftWindows.missedWindows(chat, SLO, 0)).as("seed %d", seed).isLessThanOrEqualTo(3);
        }
    }

    @Test
    void theDenseScenarioKeepsUpWithItsLoad() {
        ServingSimulator sim = new ServingSimulator(Scenarios.denseCpx(1).withSeed(1), new TelemetryCollector());
        sim.runUntil(120_000);
        ModelStats stats = sim.stats("small-0");
        assertThat(stats.arrivals()).isBetween(800L, 1_100L);
        assertThat(stats.timedOut() + stats.rejected() + stats.failed()).isZero();
        assertThat(stats.queued()).isLessThan(20);
    }
}
