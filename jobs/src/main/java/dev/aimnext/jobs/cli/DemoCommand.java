package dev.aimnext.jobs.cli;

import dev.aimnext.jobs.demo.DemoEndpoints;
import dev.aimnext.jobs.demo.DemoProducer;
import dev.aimnext.jobs.demo.DemoSummary;
import dev.aimnext.jobs.demo.DemoTraffic;
import dev.aimnext.jobs.demo.QosDemoSummary;
import dev.aimnext.jobs.demo.SimulatedScenario;
import dev.aimnext.jobs.demo.SimulatedServing;
import dev.aimnext.jobs.guardrails.GuardrailJob;
import dev.aimnext.jobs.guardrails.GuardrailOptions;
import dev.aimnext.jobs.local.AimTopics;
import dev.aimnext.jobs.local.EmbeddedKafkaBroker;
import dev.aimnext.jobs.local.LocalFiles;
import dev.aimnext.jobs.local.LocalFlink;
import dev.aimnext.jobs.local.PortCheck;
import dev.aimnext.jobs.qos.QosJob;
import dev.aimnext.jobs.qos.QosOptions;
import dev.aimnext.operators.qos.rebalance.RebalanceOptions;
import dev.aimnext.operators.qos.sim.PlanOutcome;
import dev.aimnext.operators.qos.sim.SimulationConfig;

import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code aim demo}: a real KRaft broker; one local Flink cluster (web UI, Prometheus endpoint) running
 * the guardrail job on demo traffic and the QoS job, with the rebalancer, on telemetry from the
 * serving simulator; summaries every few seconds and each partition plan as it comes. Stops on
 * Ctrl-C or after {@code --duration}.
 */
final class DemoCommand {

    private static final List<String> GUARDRAIL_SERIES = List.of("_operator_aim_guardrail_", "_operator_aim_deadletter_");
    private static final String QOS_SERIES = "_operator_aim_qos_";

    private final CliArgs args;
    private final PrintStream out;

    DemoCommand(CliArgs args, PrintStream out) {
        this.args = args;
        this.out = out;
    }

    /** The demo's options, with their defaults. */
    private record Settings(int kafkaPort, int controllerPort, int webPort, int metricsPort, long durationSeconds,
            double rate, int parallelism, Path workDir, String delivery, long seed, int speedup, boolean applyPlans) {

        static Settings from(CliArgs args) {
            String rebalance = args.value("rebalance", "dry-run");
            if (!rebalance.equals("dry-run") && !rebalance.equals("apply")) {
                throw new IllegalArgumentException("--rebalance is dry-run or apply, was '" + rebalance + "'");
            }
            return new Settings(
                    args.intValue("kafka-port", 9092),
                    args.intValue("controller-port", 9093),
                    args.intValue("web-port", 8081),
                    args.intValue("metrics-port", 9249),
                    args.intValue("duration", 0),
                    args.doubleValue("rate", 20),
                    args.intValue("parallelism", 2),
                    Path.of(args.value("work-dir", ".aim")),
                    args.value("delivery", "AT_LEAST_ONCE").toUpperCase().replace('-', '_'),
                    args.intValue("seed", 1),
                    args.intValue("speedup", SimulatedServing.DEFAULT_SPEEDUP),
                    rebalance.equals("apply"));
        }

        Path kafkaDir() {
            return workDir.resolve("kafka");
        }
    }

    int run() throws Exception {
        Settings settings = Settings.from(args);
        PortCheck.requireFree(settings.kafkaPort(), "Kafka broker", "--kafka-port");
        PortCheck.requireFree(settings.controllerPort(), "Kafka controller", "--controller-port");
        PortCheck.requireFree(settings.webPort(), "Flink web UI", "--web-port");
        PortCheck.requireFree(settings.metricsPort(), "Prometheus metrics", "--metrics-port");
        if (settings.speedup() < 1) {
            throw new IllegalArgumentException("--speedup must be at least 1");
        }

        Configuration config = new Configuration();
        config.setString(GuardrailOptions.BOOTSTRAP_SERVERS.key(), "127.0.0.1:" + settings.kafkaPort());
        config.setString(GuardrailOptions.DELIVERY_GUARANTEE.key(), settings.delivery());
        config.setString(GuardrailOptions.TRANSACTIONAL_ID_PREFIX.key(), "aim-demo-" + System.currentTimeMillis());
        args.optional("policy").ifPresent(p -> config.setString(GuardrailOptions.POLICY_FILE.key(), p));
        args.requireConsumed();
        // Validate the policy and the scenario files before anything starts.
        GuardrailJob job = GuardrailJob.fromConfiguration(config);
        SimulationConfig scenario = SimulatedScenario.config(settings.seed());
        QosJob qosJob = QosJob.fromConfiguration(qosConfig(settings, scenario));

        LocalFiles.deleteRecursively(settings.kafkaDir()); // each demo starts from empty topics: the summary counts this run only
        out.printf("Starting Kafka broker (KRaft) on 127.0.0.1:%d, data in %s ...%n", settings.kafkaPort(), settings.kafkaDir());
        // Ctrl-C runs shutdown hooks and then halts the JVM; the hook holds the JVM until the
        // cleanup below has stopped the jobs and the broker, so no broker process is left behind.
        CountDownLatch stopped = new CountDownLatch(1);
        CountDownLatch cleanedUp = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stopped.countDown();
            try {
                cleanedUp.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "aim-demo-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            runStack(settings, job, qosJob, stopped);
        } finally {
            cleanedUp.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the JVM is already exiting, which is what the user asked for.
            }
        }
        out.println("Stopped cleanly.");
        return 0;
    }

    /** The QoS job's settings: the demo's broker, the scenario's SLOs and placement, the rebalancer on. */
    private static Configuration qosConfig(Settings settings, SimulationConfig scenario) {
        SimulatedScenario.ScenarioFiles files = SimulatedScenario.writeFiles(settings.workDir().resolve("qos"), scenario);
        Configuration qos = new Configuration();
        qos.set(QosOptions.BOOTSTRAP_SERVERS, "127.0.0.1:" + settings.kafkaPort());
        qos.set(QosOptions.GROUP_ID, "aim-demo-qos");
        qos.set(QosOptions.SLO_FILE, files.slos().toString());
        // Every model's telemetry is steady, but with keys hashed to partitions one topic partition
        // may get none; it should not hold the windows back for the default 30 s of the demo's minute.
        qos.set(QosOptions.IDLE_TIMEOUT, Duration.ofSeconds(3));
        qos.set(RebalanceOptions.PLACEMENT_FILE, files.placement().toString());
        qos.set(RebalanceOptions.DRY_RUN, !settings.applyPlans());
        return qos;
    }

    private void runStack(Settings settings, GuardrailJob job, QosJob qosJob, CountDownLatch stopped) throws Exception {
        int parallelism = settings.parallelism();
        long t0 = System.nanoTime();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(settings.kafkaDir(), settings.kafkaPort(), settings.controllerPort())) {
            broker.createTopics(AimTopics.all(parallelism));
            out.printf("Kafka ready in %.1f s; topics created: %s%n", (System.nanoTime() - t0) / 1e9,
                    AimTopics.REQUESTS + ", " + AimTopics.REQUESTS_ALLOWED + ", " + AimTopics.VERDICTS + ", "
                            + AimTopics.DEADLETTER + ", " + AimTopics.TELEMETRY_REQUESTS + ", " + AimTopics.TELEMETRY_GPU
                            + ", " + AimTopics.QOS_METRICS + ", " + AimTopics.PARTITION_PLANS + ", ...");
            // Both jobs on one cluster; each job needs as many slots as its parallelism.
            try (LocalFlink.Cluster flink = LocalFlink.start(settings.webPort(), settings.metricsPort(), 2 * parallelism)) {
                JobID guardrails = submitGuardrails(flink, settings, job);
                JobID qos = submitQos(flink, settings, qosJob);
                out.printf("Guardrail job %s and QoS job %s RUNNING (%s). Flink web UI: http://localhost:%d%n",
                        guardrails, qos, settings.delivery(), settings.webPort());
                DemoEndpoints endpoints = new DemoEndpoints(settings.webPort(), settings.metricsPort());
                out.printf("        the web UI lists %s%n", endpoints.jobs());
                out.printf("Prometheus metrics: http://localhost:%d/metrics (look for *_operator_aim_guardrail_* and *_aim_qos_*)%n",
                        settings.metricsPort());
                runTraffic(settings, broker.bootstrapServers(), endpoints, stopped);
                for (JobID id : List.of(guardrails, qos)) {
                    try {
                        flink.cancel(id);
                    } catch (Exception e) {
                        // On Ctrl-C, shutdown hooks inside Flink may have stopped parts of the cluster already.
                        out.println("The local Flink cluster was already stopping: " + e.getClass().getSimpleName());
                    }
                }
            }
        }
    }

    private static JobID submitGuardrails(LocalFlink.Cluster flink, Settings settings, GuardrailJob job) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(settings.parallelism());
        env.enableCheckpointing(settings.delivery().equals("EXACTLY_ONCE") ? 2_000 : 10_000);
        job.build(env);
        JobID id = flink.submit(env, GuardrailJob.NAME);
        flink.awaitRunning(id, "guardrail");
        return id;
    }

    private static JobID submitQos(LocalFlink.Cluster flink, Settings settings, QosJob job) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(settings.parallelism());
        env.enableCheckpointing(QosOptions.CHECKPOINT_INTERVAL.defaultValue().toMillis());
        job.build(env);
        JobID id = flink.submit(env, QosJob.NAME);
        flink.awaitRunning(id, "QoS");
        return id;
    }

    /** Traffic, simulation and summaries until the duration ends or Ctrl-C; then stops them in order. */
    private void runTraffic(Settings settings, String bootstrap, DemoEndpoints endpoints, CountDownLatch stopped)
            throws Exception {
        long durationSeconds = settings.durationSeconds();
        long epochMs = System.currentTimeMillis();
        DemoSummary summary = new DemoSummary(bootstrap, AimTopics.VERDICTS, AimTopics.DEADLETTER,
                AimTopics.REQUESTS_ALLOWED, out, Duration.ofSeconds(5));
        DemoProducer producer = new DemoProducer(bootstrap, AimTopics.REQUESTS, new DemoTraffic(System.nanoTime(), "demo"),
                settings.rate());
        SimulatedServing serving = new SimulatedServing(SimulatedScenario.config(settings.seed()), bootstrap,
                AimTopics.TELEMETRY_REQUESTS, AimTopics.TELEMETRY_GPU, epochMs, settings.speedup(), this::printOutcome);
        QosDemoSummary qosSummary = new QosDemoSummary(bootstrap, AimTopics.QOS_METRICS, AimTopics.PARTITION_PLANS,
                epochMs, out, Duration.ofSeconds(5), serving::apply);
        List<Thread> threads = List.of(new Thread(summary, "aim-demo-summary"), new Thread(producer, "aim-demo-producer"),
                new Thread(serving, "aim-demo-simulator"), new Thread(qosSummary, "aim-demo-qos-summary"));
        threads.forEach(Thread::start);
        out.printf("Producing %.0f requests/s to %s (benign, PII, secrets, malformed). %s%n", settings.rate(),
                AimTopics.REQUESTS, durationSeconds > 0 ? "Stopping after " + durationSeconds + " s." : "Ctrl-C stops.");
        out.printf("Simulating %s (seed %d) at %dx real time: telemetry to %s and %s; the rebalancer's plans are %s.%n",
                "a HIGH-priority chat model with a bursty LOW neighbour on one MI300X in QPX", settings.seed(),
                settings.speedup(), AimTopics.TELEMETRY_REQUESTS, AimTopics.TELEMETRY_GPU,
                settings.applyPlans() ? "applied to the simulator" : "dry-run (--rebalance apply carries them out)");

        Thread metricsCheck = new Thread(() -> reportMetrics(endpoints), "aim-demo-metrics-check");
        metricsCheck.setDaemon(true);
        metricsCheck.start();
        if (durationSeconds > 0) {
            stopped.await(durationSeconds, TimeUnit.SECONDS);
        } else {
            stopped.await();
        }

        out.println("Stopping: producers, then jobs, then broker ...");
        producer.close();
        serving.stop();
        threads.get(1).join(5_000);
        threads.get(2).join(5_000);
        serving.close();
        Thread.sleep(3_000); // let in-flight records reach the summaries
        summary.stop();
        qosSummary.stop();
        threads.get(0).join(5_000);
        threads.get(3).join(5_000);
        out.printf("Produced %d requests, %d request telemetry records and %d GPU samples.%n", producer.sent(),
                serving.requestsSent(), serving.samplesSent());
    }

    private void printOutcome(PlanOutcome outcome) {
        long applied = outcome.actions().stream().filter(PlanOutcome.ActionOutcome::applied).count();
        synchronized (out) {
            out.printf("        simulator applied %d of %d actions of plan %s: %s%n", applied, outcome.actions().size(),
                    outcome.planId(), outcome.actions());
        }
    }

    /** Confirms, once, that the guardrail and QoS metrics are exported, so the user knows what to look for. */
    private void reportMetrics(DemoEndpoints endpoints) {
        try {
            Thread.sleep(12_000);
            List<String> markers = new ArrayList<>(GUARDRAIL_SERIES);
            markers.add(QOS_SERIES);
            Map<String, Long> counts = endpoints.seriesCounts(markers);
            long guardrail = GUARDRAIL_SERIES.stream().mapToLong(counts::get).sum();
            synchronized (out) {
                out.printf("        Prometheus endpoint serves %d aim_guardrail / aim_deadletter series and %d aim_qos series%n",
                        guardrail, counts.get(QOS_SERIES));
            }
        } catch (IOException | InterruptedException e) {
            out.println("        Prometheus endpoint not reachable: " + e.getMessage());
        }
    }
}
