package dev.aimnext.jobs.cli;

import dev.aimnext.jobs.demo.DemoProducer;
import dev.aimnext.jobs.demo.DemoSummary;
import dev.aimnext.jobs.demo.DemoTraffic;
import dev.aimnext.jobs.guardrails.GuardrailJob;
import dev.aimnext.jobs.guardrails.GuardrailOptions;
import dev.aimnext.jobs.local.AimTopics;
import dev.aimnext.jobs.local.EmbeddedKafkaBroker;
import dev.aimnext.jobs.local.LocalFiles;
import dev.aimnext.jobs.local.LocalFlink;
import dev.aimnext.jobs.local.LocalStackException;
import dev.aimnext.jobs.local.PortCheck;

import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code aim demo}: a real KRaft broker, the guardrail job on local Flink with the web UI and the
 * Prometheus endpoint, demo traffic, and a summary every few seconds. Stops on Ctrl-C or after
 * {@code --duration}.
 */
final class DemoCommand {

    private final CliArgs args;
    private final PrintStream out;

    DemoCommand(CliArgs args, PrintStream out) {
        this.args = args;
        this.out = out;
    }

    /** The demo's options, with their defaults. */
    private record Settings(int kafkaPort, int controllerPort, int webPort, int metricsPort, long durationSeconds,
            double rate, int parallelism, Path kafkaDir, String delivery) {

        static Settings from(CliArgs args) {
            return new Settings(
                    args.intValue("kafka-port", 9092),
                    args.intValue("controller-port", 9093),
                    args.intValue("web-port", 8081),
                    args.intValue("metrics-port", 9249),
                    args.intValue("duration", 0),
                    args.doubleValue("rate", 20),
                    args.intValue("parallelism", 2),
                    Path.of(args.value("work-dir", ".aim")).resolve("kafka"),
                    args.value("delivery", "AT_LEAST_ONCE").toUpperCase().replace('-', '_'));
        }
    }

    int run() throws Exception {
        Settings settings = Settings.from(args);
        int kafkaPort = settings.kafkaPort();
        int controllerPort = settings.controllerPort();
        int webPort = settings.webPort();
        int metricsPort = settings.metricsPort();
        String delivery = settings.delivery();

        PortCheck.requireFree(kafkaPort, "Kafka broker", "--kafka-port");
        PortCheck.requireFree(controllerPort, "Kafka controller", "--controller-port");
        PortCheck.requireFree(webPort, "Flink web UI", "--web-port");
        PortCheck.requireFree(metricsPort, "Prometheus metrics", "--metrics-port");

        Configuration config = new Configuration();
        config.setString(GuardrailOptions.BOOTSTRAP_SERVERS.key(), "127.0.0.1:" + kafkaPort);
        config.setString(GuardrailOptions.DELIVERY_GUARANTEE.key(), delivery);
        config.setString(GuardrailOptions.TRANSACTIONAL_ID_PREFIX.key(), "aim-demo-" + System.currentTimeMillis());
        args.optional("policy").ifPresent(p -> config.setString(GuardrailOptions.POLICY_FILE.key(), p));
        args.requireConsumed();
        // Validate the policy before anything starts.
        GuardrailJob job = GuardrailJob.fromConfiguration(config);

        LocalFiles.deleteRecursively(settings.kafkaDir()); // each demo starts from empty topics: the summary counts this run only
        out.printf("Starting Kafka broker (KRaft) on 127.0.0.1:%d, data in %s ...%n", kafkaPort, settings.kafkaDir());
        // Ctrl-C runs shutdown hooks and then halts the JVM; the hook holds the JVM until the
        // cleanup below has stopped the job and the broker, so no broker process is left behind.
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
            runStack(settings, job, stopped);
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

    private void runStack(Settings settings, GuardrailJob job, CountDownLatch stopped) throws Exception {
        int parallelism = settings.parallelism();
        int webPort = settings.webPort();
        int metricsPort = settings.metricsPort();
        long durationSeconds = settings.durationSeconds();
        double rate = settings.rate();
        String delivery = settings.delivery();
        long t0 = System.nanoTime();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(settings.kafkaDir(), settings.kafkaPort(), settings.controllerPort())) {
            broker.createTopics(AimTopics.all(parallelism));
            out.printf("Kafka ready in %.1f s; topics created: %s%n", (System.nanoTime() - t0) / 1e9,
                    AimTopics.REQUESTS + ", " + AimTopics.REQUESTS_ALLOWED + ", " + AimTopics.VERDICTS + ", "
                            + AimTopics.DEADLETTER + ", ...");

            StreamExecutionEnvironment env = LocalFlink.environment(webPort, metricsPort, parallelism);
            if (delivery.equals("EXACTLY_ONCE")) {
                env.enableCheckpointing(2_000);
            } else {
                env.enableCheckpointing(10_000);
            }
            job.build(env);
            JobClient client = env.executeAsync(GuardrailJob.NAME);
            awaitRunning(client);
            out.printf("Guardrail job %s RUNNING (%s). Flink web UI: http://localhost:%d%n",
                    client.getJobID(), delivery, webPort);
            out.printf("Prometheus metrics: http://localhost:%d/metrics (look for *_operator_aim_guardrail_*)%n", metricsPort);

            DemoSummary summary = new DemoSummary(broker.bootstrapServers(), AimTopics.VERDICTS,
                    AimTopics.DEADLETTER, AimTopics.REQUESTS_ALLOWED, out, Duration.ofSeconds(5));
            DemoProducer producer = new DemoProducer(broker.bootstrapServers(), AimTopics.REQUESTS,
                    new DemoTraffic(System.nanoTime(), "demo"), rate);
            Thread summaryThread = new Thread(summary, "aim-demo-summary");
            Thread producerThread = new Thread(producer, "aim-demo-producer");
            summaryThread.start();
            producerThread.start();
            out.printf("Producing %.0f requests/s to %s (benign, PII, secrets, malformed). %s%n", rate,
                    AimTopics.REQUESTS, durationSeconds > 0 ? "Stopping after " + durationSeconds + " s." : "Ctrl-C stops.");

            Thread metricsCheck = new Thread(() -> reportMetrics(metricsPort), "aim-demo-metrics-check");
            metricsCheck.setDaemon(true);
            metricsCheck.start();
            if (durationSeconds > 0) {
                stopped.await(durationSeconds, TimeUnit.SECONDS);
            } else {
                stopped.await();
            }

            out.println("Stopping: producer, then job, then broker ...");
            producer.close();
            producerThread.join(5_000);
            Thread.sleep(3_000); // let in-flight records reach the summary
            summary.stop();
            summaryThread.join(5_000);
            out.printf("Produced %d requests.%n", producer.sent());
            try {
                client.cancel().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                // On Ctrl-C Flink's own shutdown hook may have stopped the local cluster already.
                out.println("The local Flink cluster was already stopping: " + e.getClass().getSimpleName());
            }
        }
    }

    private void awaitRunning(JobClient client) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            JobStatus status = client.getJobStatus().get(10, TimeUnit.SECONDS);
            if (status == JobStatus.RUNNING) {
                return;
            }
            if (status.isGloballyTerminalState()) {
                throw new LocalStackException("the guardrail job ended during startup: " + status);
            }
            Thread.sleep(200);
        }
        throw new LocalStackException("the guardrail job did not reach RUNNING within 60 s");
    }

    /** Confirms, once, that the guardrail metrics are exported, so the user knows what to look for. */
    private void reportMetrics(int metricsPort) {
        try {
            Thread.sleep(12_000);
            HttpResponse<Stream<String>> response =
                    HttpClient.newHttpClient()
                            .send(HttpRequest.newBuilder(URI.create("http://localhost:" + metricsPort + "/metrics"))
                                            .timeout(Duration.ofSeconds(5)).build(),
                                    HttpResponse.BodyHandlers.ofLines());
            long series = response.body()
                    .filter(l -> !l.startsWith("#") && (l.contains("_operator_aim_guardrail_") || l.contains("_operator_aim_deadletter_")))
                    .count();
            out.printf("        Prometheus endpoint serves %d aim_guardrail / aim_deadletter series (HTTP %d)%n", series,
                    response.statusCode());
        } catch (IOException | InterruptedException e) {
            out.println("        Prometheus endpoint not reachable: " + e.getMessage());
        }
    }
}
