package dev.aimnext.operators.qos.window;

import dev.aimnext.operators.qos.sketch.QosAccumulator;
import dev.aimnext.operators.qos.slo.SloCatalog;
import dev.aimnext.schemas.event.RequestTelemetry;

import org.apache.flink.api.common.functions.AggregateFunction;

/**
 * Incremental aggregation of one window: each request goes into the window's {@link QosAccumulator}
 * as it arrives, judged against its model's objectives, so window state stays a fixed size however
 * many requests the window holds.
 */
public final class QosAggregate implements AggregateFunction<RequestTelemetry, QosAccumulator, QosAccumulator> {

    private static final long serialVersionUID = 1L;

    private final SloCatalog slos;
    private final double relativeAccuracy;

    public QosAggregate(SloCatalog slos, double relativeAccuracy) {
        this.slos = slos;
        this.relativeAccuracy = relativeAccuracy;
    }

    @Override
    public QosAccumulator createAccumulator() {
        return new QosAccumulator(relativeAccuracy);
    }

    @Override
    public QosAccumulator add(RequestTelemetry t, QosAccumulator acc) {
        acc.add(t, slos.lookup(t.getModel()));
        return acc;
    }

    @Override
    public QosAccumulator getResult(QosAccumulator acc) {
        return acc;
    }

    @Override
    public QosAccumulator merge(QosAccumulator a, QosAccumulator b) {
        return a.merge(b);
    }
}
