package dev.aimnext.jobs.qos;

import dev.aimnext.jobs.demo.SimulatedScenario;
import dev.aimnext.jobs.demo.SimulatedTelemetry;
import dev.aimnext.jobs.testing.CollectingSink;
import dev.aimnext.operators.qos.rebalance.RebalanceOptions;
import dev.aimnext.operators.qos.sim.Scenarios;
import dev.aimnext.operators.qos.sim.ServingSimulator;
import dev.aimnext.operators.qos.sim.SimulationConfig;
import dev.aimnext.operators.qos.sim.TelemetryCollector;
import dev.aimnext.schemas.event.DeadLetter;
import dev.aimnext.schemas.event.GpuSample;
import dev.aimnext.schemas.event.PartitionPlan;
import dev.aimnext.schemas.event.PlanAction;
import dev.aimnext.schemas.event.PlanActionKind;
import dev.aimnext.schemas.event.QosWindow;
import dev.aimnext.schemas.event.RequestTelemetry;

import org.apache.flink.api.java.typeutils.EitherTypeInfo;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Either;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The QoS job with the rebalancer on a MiniCluster, fed ten simulated minutes of the bursty-neighbour
 * scenario ({@link Scenarios#priorityWithBurstyNeighbour}, seed 1) with the demo's placement and SLO
 * files: the windows of the contended partition must lead to a dry-run MOVE_MODEL plan for the bursty
 * LOW model or the HIGH model, with its trigger and pressures, and the job must finish without a
 * dead letter or a failure. (Seed 1 gives a {@code bursty-neighbour} move of the batch model to the
 * empty partition every move cooldown, as dry-run leaves the placement as it was.)
 */
class QosRebalanceITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
                    .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static final long T0 = 1_764_288_000_000L; // 2025-11-28T00:00Z, a multiple of 10 s

    @Test
    void theContendedPartitionGetsADryRunMovePlan(@TempDir Path dir) throws Exception {
        SimulationConfig scenario = SimulatedScenario.config(1);
        TelemetryCollector collected = new TelemetryCollector();
        new ServingSimulator(scenario, new SimulatedTelemetry(T0, collected)).run();
        List<RequestTelemetry> requests = new ArrayList<>(collected.requests());
        List<GpuSample> samples = new ArrayList<>(collected.samples());
        SimulatedScenario.ScenarioFiles files = SimulatedScenario.writeFiles(dir, scenario);

        Configuration config = new Configuration();
        config.set(QosOptions.SLO_FILE, files.slos().toString());
        config.set(RebalanceOptions.PLACEMENT_FILE, files.placement().toString());
        CollectingSink<QosWindow> windows = new CollectingSink<>("qos-rebalance-windows");
        CollectingSink<DeadLetter> dead = new CollectingSink<>("qos-rebalance-dead");
        CollectingSink<PartitionPlan> plans = new CollectingSink<>("qos-rebalance-plans");

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        new QosJob(replay(requests, RequestTelemetry.class), replay(samples, GpuSample.class), windows, dead, plans,
                QosJob.slosFrom(config), config).execute(env);

        assertThat(dead.results()).as("the simulator's telemetry is valid and in event-time order").isEmpty();
        assertThat(windows.results()).anySatisfy(w -> {
            assertThat(w.getModel()).isEqualTo(Scenarios.CHAT);
            assertThat(w.getWindowKind()).isEqualTo("tumbling-10s");
            assertThat(w.getSloAttainment()).containsKey("ttft");
        });
        List<PartitionPlan> emitted = plans.results();
        assertThat(emitted).isNotEmpty().allSatisfy(p -> {
            assertThat(p.getGpuId()).isEqualTo(Scenarios.GPU_ID);
            assertThat(p.getDryRun()).as("dry-run is the default").isTrue();
            assertThat(p.getTrigger()).isNotBlank();
            assertThat(p.getPlanId()).startsWith(Scenarios.GPU_ID + "@");
            assertThat(p.getCreatedAtMs()).isGreaterThan(T0);
        });
        assertThat(emitted).anySatisfy(p -> {
            assertThat(p.getTier()).isEqualTo(3);
            PlanAction move = p.getActions().get(0);
            assertThat(move.getKind()).isEqualTo(PlanActionKind.MOVE_MODEL);
            assertThat(move.getModel()).isIn(Scenarios.BATCH, Scenarios.CHAT);
            assertThat(move.getFromPartition()).isEqualTo(Scenarios.P0);
            assertThat(move.getToPartition()).isIn(Scenarios.P2, Scenarios.P3);
            // A move that splits a HIGH model from a bursty neighbour needs no pressure gain, only no loss.
            assertThat(p.getPressureBefore()).isPositive().isGreaterThanOrEqualTo(p.getPressureAfter());
            assertThat(p.getPressureAfter()).isPositive();
        });
        // Plan ids are unique: cooldowns keep a dry-run plan from repeating every window.
        assertThat(emitted).extracting(PartitionPlan::getPlanId).doesNotHaveDuplicates();
    }

    /** A bounded source replaying {@code events} in order, as the Kafka source would decode them. */
    private static <T extends org.apache.avro.specific.SpecificRecordBase> DataGeneratorSource<Either<DeadLetter, T>>
            replay(List<T> events, Class<T> type) {
        GeneratorFunction<Long, Either<DeadLetter, T>> next = index -> Either.Right(events.get(index.intValue()));
        return new DataGeneratorSource<>(next, events.size(),
                new EitherTypeInfo<>(new AvroTypeInfo<>(DeadLetter.class), new AvroTypeInfo<>(type)));
    }
}
