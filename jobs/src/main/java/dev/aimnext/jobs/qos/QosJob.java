package dev.aimnext.jobs.qos;

import dev.aimnext.jobs.guardrails.JobArguments;
import dev.aimnext.operators.deadletter.DeadLetterSplitter;
import dev.aimnext.operators.qos.QosPipeline;
import dev.aimnext.operators.qos.QosSettings;
import dev.aimnext.operators.qos.metrics.QosMetricsSink;
import dev.aimnext.operators.qos.placement.GpuPlacement;
import dev.aimnext.operators.qos.rebalance.PlacementLoader;
import dev.aimnext.operators.qos.rebalance.RebalanceOptions;
import dev.aimnext.operators.qos.rebalance.stage.GpuKeys;
import dev.aimnext.operators.qos.rebalance.stage.RebalanceFunction;
import dev.aimnext.operators.qos.slo.SloCatalog;
import dev.aimnext.operators.qos.slo.SloYamlLoader;
import dev.aimnext.operators.qos.window.TelemetryWatermarks;
import dev.aimnext.schemas.event.DeadLetter;
import dev.aimnext.schemas.event.GpuSample;
import dev.aimnext.schemas.event.PartitionPlan;
import dev.aimnext.schemas.event.QosWindow;
import dev.aimnext.schemas.event.RequestTelemetry;

import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.types.Either;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The QoS job: {@code aim.telemetry.requests} and {@code aim.telemetry.gpu} → decode (rejects to
 * {@code aim.deadletter}) → {@link QosPipeline} → QosWindow events to {@code aim.qos.metrics} and
 * Prometheus gauges; late events to {@code aim.deadletter} as {@code LATE_EVENT}. With
 * {@code aim.rebalance.placement-file} set, the windows and the GPU samples, keyed by GPU
 * ({@link GpuKeys}), also feed the rebalancer ({@link RebalanceFunction}, settings from
 * {@link RebalanceOptions}), whose plans go to {@code aim.partition.plans}. It only wires; sources and
 * sinks come in through the constructor so tests can hand in their own.
 */
public final class QosJob {

    public static final String NAME = "aim-qos";

    private final Source<Either<DeadLetter, RequestTelemetry>, ?, ?> telemetry;
    private final Source<Either<DeadLetter, GpuSample>, ?, ?> gpuSamples;
    private final Sink<QosWindow> windows;
    private final Sink<DeadLetter> deadLetters;
    private final Sink<PartitionPlan> plans;
    private final SloCatalog slos;
    private final Configuration config;

    /**
     * @param plans where the rebalancer's plans go; null for a job without one, which then must not
     *     have {@code aim.rebalance.placement-file} set
     * @param config read for {@link QosOptions} (watermarks, sketch accuracy, metric series cap) and
     *     {@link RebalanceOptions}
     */
    public QosJob(
            Source<Either<DeadLetter, RequestTelemetry>, ?, ?> telemetry,
            Source<Either<DeadLetter, GpuSample>, ?, ?> gpuSamples,
            Sink<QosWindow> windows,
            Sink<DeadLetter> deadLetters,
            Sink<PartitionPlan> plans,
            SloCatalog slos,
            Configuration config) {
        this.telemetry = telemetry;
        this.gpuSamples = gpuSamples;
        this.windows = windows;
        this.deadLetters = deadLetters;
        this.plans = plans;
        this.slos = slos;
        this.config = config;
    }

    /** The job without a rebalancer: windows, gauges and dead letters only. */
    public QosJob(
            Source<Either<DeadLetter, RequestTelemetry>, ?, ?> telemetry,
            Source<Either<DeadLetter, GpuSample>, ?, ?> gpuSamples,
            Sink<QosWindow> windows,
            Sink<DeadLetter> deadLetters,
            SloCatalog slos,
            Configuration config) {
        this(telemetry, gpuSamples, windows, deadLetters, null, slos, config);
    }

    /** Adds the pipeline to {@code env}. */
    public void build(StreamExecutionEnvironment env) {
        Duration outOfOrderness = config.get(QosOptions.OUT_OF_ORDERNESS);
        Duration idleness = config.get(QosOptions.IDLE_TIMEOUT);
        SingleOutputStreamOperator<RequestTelemetry> requests =
                env.fromSource(telemetry, TelemetryWatermarks.requests(outOfOrderness, idleness),
                                config.get(QosOptions.TELEMETRY_REQUESTS_TOPIC))
                        .uid("telemetry-requests-source")
                        .process(new DeadLetterSplitter<RequestTelemetry>())
                        .returns(new AvroTypeInfo<>(RequestTelemetry.class))
                        .name("decode request telemetry")
                        .uid("decode-request-telemetry");
        SingleOutputStreamOperator<GpuSample> samples =
                env.fromSource(gpuSamples, TelemetryWatermarks.gpuSamples(outOfOrderness, idleness),
                                config.get(QosOptions.TELEMETRY_GPU_TOPIC))
                        .uid("telemetry-gpu-source")
                        .process(new DeadLetterSplitter<GpuSample>())
                        .returns(new AvroTypeInfo<>(GpuSample.class))
                        .name("decode gpu samples")
                        .uid("decode-gpu-samples");

        QosPipeline.QosStreams qos = QosPipeline.windows(requests, samples, slos, settings(config));
        qos.windows().sinkTo(windows).name("aim.qos.metrics").uid("qos-metrics-sink");
        // One writer, so the series cap holds for the whole job.
        qos.reports().sinkTo(new QosMetricsSink(config.get(QosOptions.MAX_METRIC_SERIES)))
                .setParallelism(1)
                .name("prometheus gauges")
                .uid("qos-gauges-sink");
        requests.getSideOutput(DeadLetterSplitter.DEAD_LETTERS)
                .union(samples.getSideOutput(DeadLetterSplitter.DEAD_LETTERS), qos.lateEvents())
                .sinkTo(deadLetters)
                .name("aim.deadletter")
                .uid("deadletter-sink");
        config.getOptional(RebalanceOptions.PLACEMENT_FILE).ifPresent(file -> rebalance(qos.windows(), samples, file));
    }

    /**
     * The rebalancer behind the windows: one key per GPU, GPU samples on the second input. The
     * placement file is read here, on the client, so a missing or bad file fails the submission.
     */
    private void rebalance(DataStream<QosWindow> qosWindows, DataStream<GpuSample> samples, String placementFile) {
        if (plans == null) {
            throw new IllegalStateException(RebalanceOptions.PLACEMENT_FILE.key() + " is set but this QoS job has no"
                    + " sink for partition plans");
        }
        String placement = readPlacement(placementFile);
        List<GpuPlacement> gpus = PlacementLoader.load(placement, placementFile);
        qosWindows.keyBy(GpuKeys.windows(gpus), Types.STRING)
                .connect(samples.keyBy(GpuKeys.samples(), Types.STRING))
                .process(new RebalanceFunction(RebalanceOptions.settings(config), List.copyOf(slos.models()), placement),
                        new AvroTypeInfo<>(PartitionPlan.class))
                .name("rebalancer")
                .uid("rebalancer")
                .sinkTo(plans)
                .name("aim.partition.plans")
                .uid("partition-plans-sink");
    }

    private static String readPlacement(String file) {
        try {
            return Files.readString(Path.of(file));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read placement file " + file + " ("
                    + RebalanceOptions.PLACEMENT_FILE.key() + "): " + e.getMessage());
        }
    }

    public JobExecutionResult execute(StreamExecutionEnvironment env) throws Exception {
        build(env);
        return env.execute(NAME);
    }

    /** The pipeline settings the configuration implies. */
    public static QosSettings settings(Configuration config) {
        return new QosSettings(
                config.get(QosOptions.RELATIVE_ACCURACY),
                config.get(QosOptions.TELEMETRY_REQUESTS_TOPIC),
                config.get(QosOptions.OUT_OF_ORDERNESS).toMillis(),
                config.get(QosOptions.DEADLETTER_PAYLOAD_BYTES));
    }

    /** Loads the SLO file named in the configuration; without one, no model has objectives. */
    public static SloCatalog slosFrom(Configuration config) {
        return config.getOptional(QosOptions.SLO_FILE)
                .map(file -> SloYamlLoader.loadFile(Path.of(file)))
                .orElseGet(SloCatalog::empty);
    }

    /** Builds the job from configuration, with Kafka sources and sinks. */
    public static QosJob fromConfiguration(Configuration config) {
        QosKafka kafka = new QosKafka(config);
        return new QosJob(kafka.requestSource(), kafka.gpuSource(), kafka.qosSink(), kafka.deadLetterSink(),
                kafka.planSink(), slosFrom(config), config);
    }

    /**
     * Entry point for FlinkDeployments: {@code --aim.kafka.bootstrap-servers host:9092 ...}; the
     * rebalancer's {@code --aim.rebalance.*} keys go in the same way.
     */
    public static void main(String[] args) throws Exception {
        Configuration config = JobArguments.parse(args);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        long interval = config.get(QosOptions.CHECKPOINT_INTERVAL).toMillis();
        if (interval > 0) {
            env.enableCheckpointing(interval);
        }
        fromConfiguration(config).execute(env);
    }
}
