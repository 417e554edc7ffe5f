package dev.aimnext.operators.qos.metrics;

import dev.aimnext.operators.qos.window.QosReport;

import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * Sends QoS reports to Prometheus through Flink's metric system ({@link QosGaugeRegistry}). Run it
 * with parallelism 1, so the series cap holds for the whole job rather than per subtask; a few
 * windows per key every 10 s are no load for one task.
 */
public final class QosMetricsSink implements Sink<QosReport> {

    private static final long serialVersionUID = 1L;

    private final int maxSeries;

    public QosMetricsSink(int maxSeries) {
        this.maxSeries = maxSeries;
    }

    @Override
    public SinkWriter<QosReport> createWriter(WriterInitContext context) {
        QosGaugeRegistry registry = new QosGaugeRegistry(context.metricGroup(), maxSeries);
        return new SinkWriter<>() {
            @Override
            public void write(QosReport report, Context writeContext) {
                registry.publish(report);
            }

            @Override
            public void flush(boolean endOfInput) {}

            @Override
            public void close() {}
        };
    }
}
