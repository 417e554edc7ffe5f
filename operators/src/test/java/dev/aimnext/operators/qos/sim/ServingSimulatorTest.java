package dev.aimnext.operators.qos.sim;

import static dev.aimnext.operators.qos.sim.SimFixtures.GIB;
import static dev.aimnext.operators.qos.sim.SimFixtures.chat;
import static dev.aimnext.operators.qos.sim.SimFixtures.gpu;
import static dev.aimnext.operators.qos.sim.SimFixtures.partition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aimnext.schemas.event.GpuSample;
import dev.aimnext.schemas.event.RequestStatus;
import dev.aimnext.schemas.event.RequestTelemetry;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

class ServingSimulatorTest {

    /** Records both kinds of event in the order they came. */
    private static final class Sequence implements TelemetryListener {
        final List<SpecificRecord> events = new ArrayList<>();

        @Override
        public void onRequest(RequestTelemetry telemetry) {
            events.add(telemetry);
        }

        @Override
        public void onGpuSample(GpuSample sample) {
            events.add(sample);
        }
    }

    private static List<SpecificRecord> sequence(SimulationConfig config) {
        Sequence s = new Sequence();
        new ServingSimulator(config, s).run();
        return s.events;
    }

    private static long eventTime(SpecificRecord r) {
        return r instanceof RequestTelemetry t ? t.getEventTimeMs() : ((GpuSample) r).getSampledAtMs();
    }

    @Test
    void sameSeedGivesTheSameEventsAndAnotherSeedDoesNot() {
        SimulationConfig config = Scenarios.priorityWithBurstyNeighbour(7);
        List<SpecificRecord> first = sequence(config);
        List<SpecificRecord> second = sequence(Scenarios.priorityWithBurstyNeighbour(7));
        List<SpecificRecord> otherSeed = sequence(config.withSeed(8));

        assertThat(first).hasSizeGreaterThan(3_000);
        assertThat(second).isEqualTo(first);
        assertThat(otherSeed).isNotEqualTo(first);
    }

    @Test
    void eventsComeInEventTimeOrder() {
        List<SpecificRecord> events = sequence(Scenarios.priorityWithBurstyNeighbour(3));
        for (int i = 1; i < events.size(); i++) {
            assertThat(eventTime(events.get(i))).as("event %d", i).isGreaterThanOrEqualTo(eventTime(events.get(i - 1)));
        }
    }

    @Test
    void requestTelemetryIsConsistent() {
        TelemetryCollector out = SimFixtures.run(Scenarios.priorityWithBurstyNeighbour(2));
        List<RequestTelemetry> ok = out.requests().stream().filter(t -> t.getStatus() == RequestStatus.OK).toList();
        assertThat(ok).hasSizeGreaterThan(1_000);
        for (RequestTelemetry t : ok) {
            assertThat(t.getTtftMs()).isPositive().isLessThanOrEqualTo(t.getE2eMs());
            // e2e = ttft + (completion − 1) · tpot, by the definition of tpot
            assertThat(t.getTtftMs() + (t.getCompletionTokens() - 1) * t.getTpotMs()).isCloseTo(t.getE2eMs(),
                    org.assertj.core.data.Offset.offset(1e-6));
            assertThat(t.getCompletionTokens()).isPositive();
            assertThat(t.getGpuId()).isEqualTo(Scenarios.GPU_ID);
            assertThat(t.getNode()).isEqualTo(SimulationConfig.DEFAULT_NODE);
        }
        assertThat(out.requests(Scenarios.CHAT)).allSatisfy(t -> {
            assertThat(t.getPartitionId()).isEqualTo(Scenarios.P0);
            assertThat(t.getPriority().name()).isEqualTo("HIGH");
        });
        assertThat(out.requests(Scenarios.SUMMARIZE)).allSatisfy(t -> assertThat(t.getPriority().name()).isEqualTo("NORMAL"));
    }

    @Test
    void gpuSamplesCoverEveryPartitionEveryIntervalWithWeightsPlusKvInUse() {
        SimulationConfig config = Scenarios.priorityWithBurstyNeighbour(1);
        TelemetryCollector out = SimFixtures.run(config);
        assertThat(out.samples()).hasSize(4 * 600);
        for (GpuSample s : out.samples()) {
            assertThat(s.getSampledAtMs() % 1_000).isZero();
            assertThat(s.getVramLimitBytes()).isEqualTo(48 * GIB);
            assertThat(s.getVramUsedBytes()).isLessThanOrEqualTo(s.getVramLimitBytes());
            assertThat(s.getActivityPct()).isBetween(0.0, 100.0);
            assertThat(s.getComputePartitionMode()).isEqualTo("QPX");
            assertThat(s.getBackend()).isEqualTo("sim");
        }
        List<GpuSample> p0 = out.samples().stream().filter(s -> s.getPartitionId().equals(Scenarios.P0)).toList();
        // Both models' weights are always resident; KV in use comes and goes with the load.
        assertThat(p0).allSatisfy(s -> assertThat(s.getVramUsedBytes()).isBetween(32 * GIB, 48 * GIB));
        assertThat(p0).anySatisfy(s -> assertThat(s.getVramUsedBytes()).isGreaterThan(33 * GIB));
        assertThat(p0.get(100).getProcesses()).extracting(p -> p.getModel()).containsExactly(Scenarios.CHAT, Scenarios.BATCH);
        List<GpuSample> empty = out.samples().stream().filter(s -> s.getPartitionId().equals(Scenarios.P2)).toList();
        assertThat(empty).allSatisfy(s -> {
            assertThat(s.getVramUsedBytes()).isZero();
            assertThat(s.getActivityPct()).isZero();
            assertThat(s.getProcesses()).isEmpty();
        });
    }

    @Test
    void requestsWaitingPastTheTimeoutAreReportedAsTimeout() {
        // 4 req/s of 400-token prompts on a sixteenth of the GPU is far past what it can serve.
        SimulationConfig config = SimulationConfig.builder(gpu(partition("gpu0/p0", 0.0625, 20 * GIB, "m")))
                .workload(chat("m", ArrivalPattern.poisson(4))).durationMs(120_000).requestTimeoutMs(5_000).build();
        TelemetryCollector out = SimFixtures.run(config);
        List<RequestTelemetry> timedOut = out.requests().stream().filter(t -> t.getStatus() == RequestStatus.TIMEOUT).toList();
        assertThat(timedOut).isNotEmpty();
        assertThat(timedOut).allSatisfy(t -> assertThat(t.getE2eMs()).isGreaterThan(5_000));
        assertThat(out.requests()).filteredOn(t -> t.getStatus() == RequestStatus.OK).isNotEmpty();
    }

    @Test
    void aPromptLargerThanTheWholeKvBudgetFailsWithError() {
        ModelWorkload longPrompts = new ModelWorkload("m", ArrivalPattern.poisson(1), TokenDistribution.fixed(5_000),
                TokenDistribution.fixed(10), ServingProfile.llama8b());
        // 4,096 tokens of KV at 128 KiB per token
        SimulationConfig config = SimulationConfig.builder(gpu(partition("gpu0/p0", 1, 512L << 20, "m")))
                .workload(longPrompts).durationMs(10_000).build();
        TelemetryCollector out = new TelemetryCollector();
        ServingSimulator sim = new ServingSimulator(config, out);
        sim.run();
        assertThat(out.requests()).isNotEmpty().allSatisfy(t -> assertThat(t.getStatus()).isEqualTo(RequestStatus.ERROR));
        assertThat(sim.stats("m").failed()).isEqualTo(out.requests().size());
    }

    @Test
    void runUntilContinuesWhereItStopped() {
        SimulationConfig config = Scenarios.priorityWithBurstyNeighbour(5);
        List<SpecificRecord> whole = sequence(config);
        Sequence pieces = new Sequence();
        ServingSimulator sim = new ServingSimulator(config, pieces);
        for (long t = 0; t <= config.durationMs(); t += 7_777) {
            sim.runUntil(t);
            assertThat(sim.nowMs()).isEqualTo(t);
        }
        sim.run();
        assertThat(pieces.events).isEqualTo(whole);
    }

    @Test
    void configRejectsModelsWithoutWorkloadAndOvercommittedPartitions() {
        assertThatThrownBy(() -> SimulationConfig.builder(gpu(partition("gpu0/p0", 1, GIB, "a", "b")))
                .workload(chat("a", ArrivalPattern.poisson(1))).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("b is placed").hasMessageContaining("no workload");
        assertThatThrownBy(() -> SimulationConfig.builder(gpu(partition("gpu0/p0", 1, 200 * GIB, "a")))
                .workload(chat("a", ArrivalPattern.poisson(1))).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("gpu0/p0 holds");
        assertThatThrownBy(() -> SimulationConfig.builder(gpu(partition("gpu0/p0", 1, GIB, "a")))
                .workload(chat("a", ArrivalPattern.poisson(1))).workload(chat("x", ArrivalPattern.poisson(1))).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("x has a workload but is not placed");
    }
}
