package dev.aimnext.operators.qos;

import dev.aimnext.operators.qos.headroom.MemoryHeadroomJoin;
import dev.aimnext.operators.qos.sketch.QosAccumulatorTypeInfo;
import dev.aimnext.operators.qos.slo.SloCatalog;
import dev.aimnext.operators.qos.window.LateEventDeadLetters;
import dev.aimnext.operators.qos.window.PaneEmitter;
import dev.aimnext.operators.qos.window.QosAggregate;
import dev.aimnext.operators.qos.window.QosKey;
import dev.aimnext.operators.qos.window.QosPane;
import dev.aimnext.operators.qos.window.QosReport;
import dev.aimnext.operators.qos.window.QosRollup;
import dev.aimnext.operators.qos.window.QosWindowKind;
import dev.aimnext.schemas.event.DeadLetter;
import dev.aimnext.schemas.event.GpuSample;
import dev.aimnext.schemas.event.QosWindow;
import dev.aimnext.schemas.event.RequestTelemetry;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.util.OutputTag;

import java.time.Duration;

/**
 * The QoS operator chain, from decoded telemetry to {@link QosWindow} events, for any job to embed:
 *
 * <pre>
 * telemetry ─keyBy(model, partition)→ 10 s event-time panes (DDSketch aggregate) ─→ rollup
 *     (tumbling-10s, sliding-1m, burn-5m, burn-1h) ─keyBy(partition)→ memory headroom ⟵ GPU samples
 *           └─ late events → LATE_EVENT dead letters
 * </pre>
 *
 * Both inputs must carry event timestamps and watermarks (see {@code TelemetryWatermarks}). Sinks
 * are the caller's: Kafka, Prometheus ({@code QosMetricsSink} on {@link QosStreams#reports()}) or a
 * rebalancer reading {@link QosStreams#windows()}.
 */
public final class QosPipeline {

    static final OutputTag<RequestTelemetry> LATE =
            new OutputTag<>("qos-late-telemetry", new AvroTypeInfo<>(RequestTelemetry.class));

    private static final TypeInformation<QosReport> REPORT = Types.POJO(QosReport.class);

    private QosPipeline() {}

    /** The streams the chain produces. */
    public record QosStreams(DataStream<QosWindow> windows, DataStream<QosReport> reports,
            DataStream<DeadLetter> lateEvents) {}

    public static QosStreams windows(DataStream<RequestTelemetry> telemetry, DataStream<GpuSample> gpuSamples,
            SloCatalog slos, QosSettings settings) {
        SingleOutputStreamOperator<QosPane> panes = telemetry
                .keyBy(new QosKey.OfTelemetry(), QosKey.TYPE)
                .window(TumblingEventTimeWindows.of(Duration.ofMillis(QosWindowKind.PANE_MS)))
                .sideOutputLateData(LATE)
                .aggregate(new QosAggregate(slos, settings.relativeAccuracy()), new PaneEmitter(),
                        QosAccumulatorTypeInfo.INSTANCE, QosAccumulatorTypeInfo.INSTANCE, Types.POJO(QosPane.class))
                .name("qos panes 10s")
                .uid("qos-panes");
        // Panes leave the window operator on the subtask that owns their key, so the rollup can
        // chain to it instead of shuffling sketches over the network.
        DataStream<QosReport> rolledUp = DataStreamUtils
                .reinterpretAsKeyedStream(panes, new QosKey.OfPane(), QosKey.TYPE)
                .process(new QosRollup(slos), REPORT)
                .name("qos rollup")
                .uid("qos-rollup");
        DataStream<QosReport> reports = rolledUp
                .keyBy(new MemoryHeadroomJoin.WindowPartition(), Types.STRING)
                .connect(gpuSamples.keyBy(new MemoryHeadroomJoin.SamplePartition(), Types.STRING))
                .process(new MemoryHeadroomJoin(), REPORT)
                .name("qos memory headroom")
                .uid("qos-headroom");
        DataStream<QosWindow> windows = reports
                .map(report -> report.window, new AvroTypeInfo<>(QosWindow.class))
                .name("qos windows")
                .uid("qos-windows");
        DataStream<DeadLetter> late = panes.getSideOutput(LATE)
                .process(new LateEventDeadLetters(settings.telemetryTopic(), settings.outOfOrdernessMs(),
                        settings.deadLetterPayloadBytes()), new AvroTypeInfo<>(DeadLetter.class))
                .name("qos late events")
                .uid("qos-late-events");
        return new QosStreams(windows, reports, late);
    }
}
