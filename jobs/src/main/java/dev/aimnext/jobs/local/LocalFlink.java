package dev.aimnext.jobs.local;

import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;

import java.util.concurrent.TimeUnit;

/**
 * The local Flink of the demo: web UI and REST API on {@code localhost:webPort}, the Prometheus
 * reporter on {@code metricsPort}. This is the one place that says how the local cluster is
 * configured; {@link #environment} runs one job on it, {@link #start} a cluster that several jobs
 * share.
 */
public final class LocalFlink {

    private LocalFlink() {}

    /** The local cluster's configuration, with {@code slots} task slots in its one TaskManager. */
    public static Configuration configuration(int webPort, int metricsPort, int slots) {
        Configuration conf = new Configuration();
        conf.set(RestOptions.PORT, webPort);
        conf.set(RestOptions.BIND_ADDRESS, "localhost");
        conf.set(TaskManagerOptions.NUM_TASK_SLOTS, slots);
        conf.setString(
                "metrics.reporter.prom.factory.class",
                "org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
        conf.setString("metrics.reporter.prom.port", String.valueOf(metricsPort));
        return conf;
    }

    /** An environment whose {@code execute} starts its own local cluster for that one job. */
    public static StreamExecutionEnvironment environment(int webPort, int metricsPort, int parallelism) {
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(configuration(webPort, metricsPort, parallelism));
        env.setParallelism(parallelism);
        return env;
    }

    /**
     * Starts a cluster that several jobs share, so one web UI shows them all (two local
     * environments would each start a cluster, on the same ports). Jobs are built on an ordinary
     * {@link StreamExecutionEnvironment} and handed to {@link Cluster#submit}.
     */
    public static Cluster start(int webPort, int metricsPort, int slots) throws Exception {
        Configuration conf = configuration(webPort, metricsPort, slots);
        MiniCluster cluster = new MiniCluster(new MiniClusterConfiguration.Builder()
                .setConfiguration(conf)
                .setNumTaskManagers(1)
                .setNumSlotsPerTaskManager(slots)
                .build());
        try {
            cluster.start();
        } catch (Exception e) {
            cluster.close();
            throw e;
        }
        return new Cluster(cluster);
    }

    /** A started local cluster; closing it stops its jobs. */
    public static final class Cluster implements AutoCloseable {

        private final MiniCluster cluster;

        private Cluster(MiniCluster cluster) {
            this.cluster = cluster;
        }

        /** Submits what {@code env} holds as job {@code name}; {@code env}'s checkpoint and parallelism settings apply. */
        public JobID submit(StreamExecutionEnvironment env, String name) throws Exception {
            StreamGraph graph = env.getStreamGraph();
            graph.setJobName(name);
            return cluster.submitJob(graph.getJobGraph()).get(60, TimeUnit.SECONDS).getJobID();
        }

        /** Waits until the job runs, or fails naming it if it ends or takes over 60 s. */
        public void awaitRunning(JobID job, String name) throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline) {
                JobStatus status = status(job);
                if (status == JobStatus.RUNNING) {
                    return;
                }
                if (status.isGloballyTerminalState()) {
                    throw new LocalStackException("the " + name + " job ended during startup: " + status);
                }
                Thread.sleep(200);
            }
            throw new LocalStackException("the " + name + " job did not reach RUNNING within 60 s");
        }

        public JobStatus status(JobID job) throws Exception {
            return cluster.getJobStatus(job).get(10, TimeUnit.SECONDS);
        }

        /** Cancels the job and waits for it to end. */
        public void cancel(JobID job) throws Exception {
            cluster.cancelJob(job).get(30, TimeUnit.SECONDS);
            cluster.requestJobResult(job).get(30, TimeUnit.SECONDS);
        }

        @Override
        public void close() throws Exception {
            cluster.close();
        }
    }
}
