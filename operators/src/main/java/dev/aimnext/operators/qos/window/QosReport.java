package dev.aimnext.operators.qos.window;

import dev.aimnext.schemas.event.QosWindow;

/**
 * A {@link QosWindow} plus what the Avro event has no field for but the Prometheus gauges show: the
 * token rate. A Flink POJO.
 */
public class QosReport {

    public QosWindow window;
    /** Prompt plus completion tokens per second of window. */
    public double tokensPerSec;

    public QosReport() {}

    public QosReport(QosWindow window, double tokensPerSec) {
        this.window = window;
        this.tokensPerSec = tokensPerSec;
    }
}
