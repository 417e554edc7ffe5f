package dev.aimnext.operators.qos.sim;

import static dev.aimnext.operators.qos.sim.SimFixtures.GIB;
import static dev.aimnext.operators.qos.sim.SimFixtures.batch;
import static dev.aimnext.operators.qos.sim.SimFixtures.chat;
import static dev.aimnext.operators.qos.sim.SimFixtures.gpu;
import static dev.aimnext.operators.qos.sim.SimFixtures.partition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.aimnext.schemas.event.RequestStatus;
import dev.aimnext.schemas.event.RequestTelemetry;
import org.junit.jupiter.api.Test;

import java.util.List;

class ComputeAndInterferenceTest {

    private static final ArrivalPattern CHAT_LOAD = ArrivalPattern.poisson(1.2);
    /** Idle most of the time, then 20 s at 0.6 req/s of 1,500-token prompts every minute. */
    private static final ArrivalPattern BURSTY = ArrivalPattern.poisson(0.01).withBursts(60, 60_000, 20_000, 10_000);

    private static List<RequestTelemetry> chatAlone(double share, long seed) {
        SimulationConfig config = SimulationConfig.builder(gpu(partition("gpu0/p0", share, 20 * GIB, "chat")))
                .workload(chat("chat", CHAT_LOAD)).seed(seed).durationMs(300_000).build();
        return SimFixtures.run(config).requests("chat");
    }

    private static SimulationConfig.Builder chatWithNeighbour(boolean samePartition) {
        var placement = samePartition
                ? gpu(partition("gpu0/p0", 0.25, 16 * GIB, "chat", "batch"))
                : gpu(partition("gpu0/p0", 0.25, 16 * GIB, "chat"), partition("gpu0/p1", 0.25, 16 * GIB, "batch"));
        return SimulationConfig.builder(placement).workload(chat("chat", CHAT_LOAD)).workload(batch("batch", BURSTY))
                .durationMs(300_000);
    }

    @Test
    void anIsolatedRequestsTtftIsItsPrefillTimeOverTheComputeShare() {
        ServingProfile llama8b = ServingProfile.llama8b();
        ModelWorkload sparse = new ModelWorkload("m", ArrivalPattern.poisson(0.01), TokenDistribution.fixed(800),
                TokenDistribution.fixed(5), llama8b);
        for (double share : new double[] {1.0, 0.25}) {
            SimulationConfig config = SimulationConfig.builder(gpu(partition("gpu0/p0", share, 20 * GIB, "m")))
                    .workload(sparse).durationMs(3_000_000).build();
            List<RequestTelemetry> out = SimFixtures.run(config).requests("m");
            assertThat(out).hasSizeGreaterThan(10);
            // At 0.01 req/s almost every request finds the model idle: TTFT is exactly one prefill step,
            // and every decode step holds that request alone.
            RequestTelemetry typical = out.get(0);
            assertThat(typical.getTtftMs()).isCloseTo(llama8b.prefillMs(800) / share, within(1e-6));
            assertThat(typical.getTpotMs()).isCloseTo(llama8b.decodeMs(1) / share, within(1e-6));
        }
    }

    @Test
    void theSameLoadOnAQuarterOfTheGpuHasHigherTtft() {
        for (long seed = 1; seed <= 3; seed++) {
            List<RequestTelemetry> whole = chatAlone(1.0, seed);
            List<RequestTelemetry> quarter = chatAlone(0.25, seed);
            assertThat(quarter).hasSizeGreaterThan(300);
            assertThat(TtftWindows.quantile(quarter, 0.5)).isGreaterThan(3.5 * TtftWindows.quantile(whole, 0.5));
            assertThat(TtftWindows.quantile(quarter, 0.99)).isGreaterThan(3.5 * TtftWindows.quantile(whole, 0.99));
        }
    }

    @Test
    void aBurstyNeighbourInThePartitionRaisesP99Ttft() {
        for (long seed = 1; seed <= 3; seed++) {
            List<RequestTelemetry> shared = SimFixtures.run(chatWithNeighbour(true).seed(seed).build()).requests("chat");
            List<RequestTelemetry> apart = SimFixtures.run(chatWithNeighbour(false).seed(seed).build()).requests("chat");
            double sharedP99 = TtftWindows.quantile(shared, 0.99);
            double apartP99 = TtftWindows.quantile(apart, 0.99);
            assertThat(sharedP99).as("seed %d", seed).isGreaterThan(1.4 * apartP99);
            assertThat(TtftWindows.quantile(shared, 0.5)).isGreaterThan(TtftWindows.quantile(apart, 0.5));
        }
    }

    @Test
    void modelsInOtherPartitionsOrWithoutInterferenceDoNotAffectEachOther() {
        SimulationConfig aloneConfig = SimulationConfig.builder(gpu(partition("gpu0/p0", 0.25, 16 * GIB, "chat"),
                        partition("gpu0/p1", 0.25, 16 * GIB)))
                .workload(chat("chat", CHAT_LOAD)).durationMs(300_000).build();
        List<Double> alone = ttfts(SimFixtures.run(aloneConfig).requests("chat"));
        List<Double> apart = ttfts(SimFixtures.run(chatWithNeighbour(false).build()).requests("chat"));
        List<Double> noInterference = ttfts(SimFixtures.run(chatWithNeighbour(true).interference(InterferenceModel.NONE)
                .build()).requests("chat"));
        assertThat(alone).hasSizeGreaterThan(300);
        assertThat(apart).isEqualTo(alone);
        assertThat(noInterference).isEqualTo(alone);
    }

    @Test
    void priorityReliefShiftsTheSlowdownToTheLowerPriorityModel() {
        InterferenceModel relief = InterferenceModel.MEASURED.withPriorityRelief(0.25);
        assertThat(relief.neighbourWeight(0, 2)).isEqualTo(0.25);
        assertThat(relief.neighbourWeight(1, 1)).isEqualTo(1);
        assertThat(relief.neighbourWeight(2, 0)).isEqualTo(1.75);
        assertThat(InterferenceModel.MEASURED.slowdown(true, 0, 3)).isEqualTo(1);
        assertThat(InterferenceModel.MEASURED.slowdown(true, 1, 0)).isCloseTo(1.60, within(1e-12));
        assertThat(InterferenceModel.MEASURED.slowdown(true, 1, 2.3263478740408408)).isCloseTo(2.12, within(1e-9));
        assertThat(InterferenceModel.MEASURED.slowdown(false, 1, 2)).isCloseTo(1.26, within(1e-12));
        assertThat(InterferenceModel.MEASURED.slowdown(false, 2, 0)).isCloseTo(1.52, within(1e-12));
    }

    private static List<Double> ttfts(List<RequestTelemetry> telemetry) {
        return telemetry.stream().filter(t -> t.getStatus() == RequestStatus.OK).map(RequestTelemetry::getTtftMs).toList();
    }
}
