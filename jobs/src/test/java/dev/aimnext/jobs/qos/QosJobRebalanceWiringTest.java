package dev.aimnext.jobs.qos;

import dev.aimnext.jobs.demo.SimulatedScenario;
import dev.aimnext.jobs.guardrails.JobArguments;
import dev.aimnext.operators.qos.rebalance.RebalanceOptions;
import dev.aimnext.operators.qos.rebalance.RebalanceSettings;
import dev.aimnext.operators.qos.slo.SloCatalog;
import dev.aimnext.schemas.event.DeadLetter;
import dev.aimnext.schemas.event.GpuSample;
import dev.aimnext.schemas.event.PartitionPlan;
import dev.aimnext.schemas.event.QosWindow;
import dev.aimnext.schemas.event.RequestTelemetry;

import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.java.typeutils.EitherTypeInfo;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.apache.flink.types.Either;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How the QoS job takes in the rebalancer: its arguments, its plan sink and its placement file. */
class QosJobRebalanceWiringTest {

    @Test
    void rebalanceAndPlanTopicArgumentsReachTheJobsConfiguration() {
        Configuration config = JobArguments.parse(new String[] {
                "--aim.rebalance.placement-file", "/etc/aim/placement.yaml",
                "--aim.rebalance.dry-run", "false",
                "--aim.rebalance.cooldown.move", "30 s",
                "--aim.rebalance.tau=0.2",
                "--aim.topics.partition-plans", "team-a.partition.plans"});

        RebalanceSettings settings = RebalanceOptions.settings(config);
        assertThat(settings.dryRun()).isFalse();
        assertThat(settings.moveCooldownMs()).isEqualTo(30_000);
        assertThat(settings.tau()).isEqualTo(0.2);
        assertThat(config.get(RebalanceOptions.PLACEMENT_FILE)).isEqualTo("/etc/aim/placement.yaml");
        assertThat(config.get(QosOptions.PARTITION_PLANS_TOPIC)).isEqualTo("team-a.partition.plans");
        assertThat(RebalanceOptions.settings(new Configuration()).dryRun()).as("dry-run by default").isTrue();
    }

    @Test
    void withAPlacementFileTheWindowsAndSamplesFeedTheRebalancerAndItsPlansTheirSink(@TempDir Path dir) {
        Configuration config = new Configuration();
        config.set(RebalanceOptions.PLACEMENT_FILE,
                SimulatedScenario.writeFiles(dir, SimulatedScenario.config(1)).placement().toString());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        job(new DiscardingSink<>(), config).build(env);

        List<String> operators = env.getStreamGraph().getStreamNodes().stream().map(StreamNode::getOperatorName).toList();
        assertThat(operators).anyMatch(name -> name.contains("rebalancer"))
                .anyMatch(name -> name.contains("aim.partition.plans"));
    }

    @Test
    void withoutAPlacementFileThereIsNoRebalancer() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        job(new DiscardingSink<>(), new Configuration()).build(env);

        List<String> operators = env.getStreamGraph().getStreamNodes().stream().map(StreamNode::getOperatorName).toList();
        assertThat(operators).noneMatch(name -> name.contains("rebalancer"));
    }

    @Test
    void aPlacementFileWithoutAPlanSinkIsRefused(@TempDir Path dir) {
        Configuration config = new Configuration();
        config.set(RebalanceOptions.PLACEMENT_FILE,
                SimulatedScenario.writeFiles(dir, SimulatedScenario.config(1)).placement().toString());
        QosJob withoutPlans = new QosJob(empty(RequestTelemetry.class), empty(GpuSample.class),
                new DiscardingSink<QosWindow>(), new DiscardingSink<DeadLetter>(), SloCatalog.empty(), config);

        assertThatThrownBy(() -> withoutPlans.build(StreamExecutionEnvironment.getExecutionEnvironment()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("aim.rebalance.placement-file");
    }

    @Test
    void aMissingOrBadPlacementFileFailsTheBuildNamingIt(@TempDir Path dir) throws Exception {
        Configuration missing = new Configuration();
        missing.set(RebalanceOptions.PLACEMENT_FILE, dir.resolve("nowhere.yaml").toString());
        assertThatThrownBy(() -> job(new DiscardingSink<>(), missing).build(StreamExecutionEnvironment.getExecutionEnvironment()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nowhere.yaml");

        Path bad = java.nio.file.Files.writeString(dir.resolve("bad.yaml"), "gpus:\n  - gpu: gpu0\n    compute_mod: QPX\n");
        Configuration badConfig = new Configuration();
        badConfig.set(RebalanceOptions.PLACEMENT_FILE, bad.toString());
        assertThatThrownBy(() -> job(new DiscardingSink<>(), badConfig).build(StreamExecutionEnvironment.getExecutionEnvironment()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bad.yaml")
                .hasMessageContaining("compute_mod");
    }

    private static QosJob job(Sink<PartitionPlan> plans, Configuration config) {
        return new QosJob(empty(RequestTelemetry.class), empty(GpuSample.class), new DiscardingSink<>(),
                new DiscardingSink<>(), plans, SloCatalog.empty(), config);
    }

    private static <T extends SpecificRecordBase> DataGeneratorSource<Either<DeadLetter, T>> empty(Class<T> type) {
        return new DataGeneratorSource<>(index -> {
            throw new IllegalStateException("an empty source has no element " + index);
        }, 0, new EitherTypeInfo<>(new AvroTypeInfo<>(DeadLetter.class), new AvroTypeInfo<>(type)));
    }
}
