package dev.aimnext.jobs.qos;

import dev.aimnext.operators.qos.sketch.LatencySketches;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

import java.time.Duration;

/**
 * Settings of the QoS job. The README's QoS configuration table lists the same keys. Kafka and
 * checkpoint keys are shared with the other jobs; only their defaults may differ. The rebalancer's
 * settings ({@code aim.rebalance.*}) are {@link dev.aimnext.operators.qos.rebalance.RebalanceOptions},
 * read from the same configuration.
 */
public final class QosOptions {

    private QosOptions() {}

    public static final ConfigOption<String> BOOTSTRAP_SERVERS =
            ConfigOptions.key("aim.kafka.bootstrap-servers")
                    .stringType()
                    .defaultValue("localhost:9092")
                    .withDescription("Kafka bootstrap servers.");

    public static final ConfigOption<String> GROUP_ID =
            ConfigOptions.key("aim.kafka.group-id")
                    .stringType()
                    .defaultValue("aim-qos")
                    .withDescription("Consumer group of the telemetry sources; offsets are committed on checkpoints.");

    public static final ConfigOption<String> TELEMETRY_REQUESTS_TOPIC =
            ConfigOptions.key("aim.topics.telemetry-requests")
                    .stringType()
                    .defaultValue("aim.telemetry.requests")
                    .withDescription("Per-request telemetry (RequestTelemetry, Avro single-object or strict JSON).");

    public static final ConfigOption<String> TELEMETRY_GPU_TOPIC =
            ConfigOptions.key("aim.topics.telemetry-gpu")
                    .stringType()
                    .defaultValue("aim.telemetry.gpu")
                    .withDescription("GPU partition samples (GpuSample, Avro single-object or strict JSON).");

    public static final ConfigOption<String> QOS_METRICS_TOPIC =
            ConfigOptions.key("aim.topics.qos-metrics")
                    .stringType()
                    .defaultValue("aim.qos.metrics")
                    .withDescription("QosWindow events (Avro), keyed by model: tumbling-10s, sliding-1m, burn-5m, burn-1h.");

    public static final ConfigOption<String> PARTITION_PLANS_TOPIC =
            ConfigOptions.key("aim.topics.partition-plans")
                    .stringType()
                    .defaultValue("aim.partition.plans")
                    .withDescription("PartitionPlan events (Avro), keyed by GPU id, from the rebalancer; written only "
                            + "when aim.rebalance.placement-file is set.");

    public static final ConfigOption<String> DEADLETTER_TOPIC =
            ConfigOptions.key("aim.topics.deadletter")
                    .stringType()
                    .defaultValue("aim.deadletter")
                    .withDescription("Telemetry that could not be decoded or validated, and late events (LATE_EVENT).");

    public static final ConfigOption<String> SLO_FILE =
            ConfigOptions.key("aim.qos.slo-file")
                    .stringType()
                    .noDefaultValue()
                    .withDescription("Per-model SLO YAML (ttft/tpot/e2e p99 objectives, priority, memory). "
                            + "Without it no model has latency objectives and attainment counts successes only.");

    public static final ConfigOption<Duration> OUT_OF_ORDERNESS =
            ConfigOptions.key("aim.qos.out-of-orderness")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(2))
                    .withDescription("How far behind the newest event time an event may arrive and still be counted. "
                            + "Windows are emitted this long after they end; later events are dead-lettered as LATE_EVENT.");

    public static final ConfigOption<Duration> IDLE_TIMEOUT =
            ConfigOptions.key("aim.qos.idle-timeout")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(30))
                    .withDescription("A telemetry partition without records for this long stops holding the watermark back.");

    public static final ConfigOption<Double> RELATIVE_ACCURACY =
            ConfigOptions.key("aim.qos.sketch.relative-accuracy")
                    .doubleType()
                    .defaultValue(LatencySketches.DEFAULT_RELATIVE_ACCURACY)
                    .withDescription("DDSketch relative accuracy of the latency quantiles (0.005 = 0.5%).");

    public static final ConfigOption<Integer> MAX_METRIC_SERIES =
            ConfigOptions.key("aim.qos.metrics.max-series")
                    .intType()
                    .defaultValue(64)
                    .withDescription("Most (model, partition) label sets exported as Prometheus gauges; windows of "
                            + "further pairs are counted in aim_qos_series_overflow instead.");

    public static final ConfigOption<Integer> MAX_RECORD_BYTES =
            ConfigOptions.key("aim.telemetry.max-record-bytes")
                    .intType()
                    .defaultValue(64 * 1024)
                    .withDescription("Larger telemetry records are dead-lettered before parsing (TOO_LARGE).");

    public static final ConfigOption<Integer> DEADLETTER_PAYLOAD_BYTES =
            ConfigOptions.key("aim.deadletter.max-payload-bytes")
                    .intType()
                    .defaultValue(4096)
                    .withDescription("How many bytes of a rejected record the dead letter keeps.");

    public static final ConfigOption<Duration> CHECKPOINT_INTERVAL =
            ConfigOptions.key("aim.checkpoint.interval")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(10))
                    .withDescription("Checkpoint interval; 0 turns checkpoints off.");
}
