package dev.aimnext.jobs.testing;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MetricOptions;

import java.time.Duration;

/** MiniCluster settings shared by the ITCases. */
public final class MiniClusterConfigs {

    private MiniClusterConfigs() {}

    /** Refreshes the REST metric cache often, so tests can read job metrics such as numRestarts. */
    public static Configuration fastMetrics() {
        Configuration config = new Configuration();
        config.set(MetricOptions.METRIC_FETCHER_UPDATE_INTERVAL, Duration.ofMillis(500));
        return config;
    }
}
