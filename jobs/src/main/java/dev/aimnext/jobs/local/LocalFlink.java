package dev.aimnext.jobs.local;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** A local Flink environment with the web UI and the Prometheus reporter, as the demo runs it. */
public final class LocalFlink {

    private LocalFlink() {}

    public static StreamExecutionEnvironment environment(int webPort, int metricsPort, int parallelism) {
        Configuration conf = new Configuration();
        conf.set(RestOptions.PORT, webPort);
        conf.set(RestOptions.BIND_ADDRESS, "localhost");
        conf.set(TaskManagerOptions.NUM_TASK_SLOTS, parallelism);
        conf.setString(
                "metrics.reporter.prom.factory.class",
                "org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
        conf.setString("metrics.reporter.prom.port", String.valueOf(metricsPort));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(conf);
        env.setParallelism(parallelism);
        return env;
    }
}
