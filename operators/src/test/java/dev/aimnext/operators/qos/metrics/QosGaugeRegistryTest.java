package dev.aimnext.operators.qos.metrics;

import dev.aimnext.operators.qos.placement.Priority;
import dev.aimnext.operators.qos.slo.ModelSlo;
import dev.aimnext.operators.qos.window.QosReport;
import dev.aimnext.operators.qos.window.QosWindowFactory;
import dev.aimnext.operators.qos.window.QosWindowKind;
import dev.aimnext.operators.qos.window.SloCounts;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

class QosGaugeRegistryTest {

    /** Records every metric under its group path, as the Prometheus reporter would name it. */
    static final class RecordingGroup extends UnregisteredMetricsGroup {
        final Map<String, Metric> metrics;
        final String path;

        RecordingGroup(Map<String, Metric> metrics, String path) {
            this.metrics = metrics;
            this.path = path;
        }

        @Override
        public MetricGroup addGroup(String name) {
            return new RecordingGroup(metrics, path + name + "_");
        }

        @Override
        public MetricGroup addGroup(String key, String value) {
            return new RecordingGroup(metrics, path + "{" + key + "=" + value + "}");
        }

        @Override
        public Counter counter(String name) {
            SimpleCounter counter = new SimpleCounter();
            metrics.put(path + name, counter);
            return counter;
        }

        @Override
        public <T, G extends Gauge<T>> G gauge(String name, G gauge) {
            metrics.put(path + name, gauge);
            return gauge;
        }
    }

    private static final ModelSlo SLO = new ModelSlo("m0", 100, 0, 0, Priority.LOW, 0, 0);

    static QosReport sliding(String model, String partition) {
        return QosWindowFactory.fromCounts(model, partition, QosWindowKind.SLIDING_1M, 60_000,
                new SloCounts(600, 6, 6000, 594, 600, 600, 594), SLO);
    }

    @Test
    void publishesLabelledGaugesAndCapsTheSeries() {
        Map<String, Metric> metrics = new TreeMap<>();
        QosGaugeRegistry registry = new QosGaugeRegistry(new RecordingGroup(metrics, ""), 2);

        assertThat(registry.publish(sliding("m0", "g/0"))).isTrue();
        assertThat(registry.publish(QosWindowFactory.fromCounts("m0", "g/0", QosWindowKind.BURN_1H, 60_000,
                new SloCounts(1000, 0, 0, 500, 1000, 1000, 500), SLO))).isTrue();
        assertThat(registry.publish(sliding("m1", "g/0"))).isTrue();
        for (int i = 0; i < 5; i++) {
            assertThat(registry.publish(sliding("m" + (i + 2), "g/1"))).isFalse();
        }

        String series = "aim_qos_{model=m0}{partition=g/0}";
        assertThat(value(metrics, series + "request_rate")).isEqualTo(10.0);
        assertThat(value(metrics, series + "token_rate")).isEqualTo(100.0);
        assertThat(value(metrics, series + "{objective=ttft}slo_attainment")).isEqualTo(0.99);
        assertThat(value(metrics, series + "{objective=tpot}slo_attainment")).isNaN(); // no such objective
        assertThat(value(metrics, series + "burn_rate_1m")).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(value(metrics, series + "burn_rate_1h")).isCloseTo(50.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(value(metrics, series + "burn_rate_5m")).isNaN();
        assertThat(value(metrics, series + "memory_headroom_bytes")).isNaN();
        assertThat(metrics).containsKey(series + "{quantile=p99}ttft_ms");
        assertThat(((Counter) metrics.get("aim_qos_series_overflow")).getCount()).isEqualTo(5);
        assertThat(((Gauge<?>) metrics.get("aim_qos_series")).getValue()).isEqualTo(2);
        assertThat(metrics.keySet()).noneMatch(k -> k.contains("model=m2"));
        // Only the allowed labels appear.
        assertThat(metrics.keySet()).allMatch(k -> k.replaceAll("\\{(model|partition|quantile|objective)=[^}]*}", "")
                .matches("aim_qos_[a-z0-9_]+"));
    }

    private static Double value(Map<String, Metric> metrics, String name) {
        assertThat(metrics).containsKey(name);
        return (Double) ((Gauge<?>) metrics.get(name)).getValue();
    }
}
