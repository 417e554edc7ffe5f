package dev.aimnext.jobs.cli;

import dev.aimnext.jobs.collector.GpuCollector;
import dev.aimnext.jobs.collector.GpuMetricsExposition;
import dev.aimnext.jobs.collector.GpuSamplePublisher;
import dev.aimnext.jobs.collector.GpuSampler;
import dev.aimnext.jobs.collector.MetricsEndpoint;
import dev.aimnext.jobs.local.AimTopics;
import dev.aimnext.jobs.local.LocalStackException;
import dev.aimnext.jobs.local.PortCheck;
import dev.aimnext.rocm.GpuRuntime;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code aim gpu-collector}: samples GPUs, partitions and per-process VRAM every interval, serves
 * them as Prometheus gauges and, with {@code --bootstrap-servers}, publishes {@code GpuSample}
 * events. Runs until Ctrl-C or {@code --duration}.
 */
final class GpuCollectorCommand {

    private final CliArgs args;
    private final PrintStream out;

    GpuCollectorCommand(CliArgs args, PrintStream out) {
        this.args = args;
        this.out = out;
    }

    int run() throws InterruptedException {
        Optional<String> bootstrapServers = args.optional("bootstrap-servers");
        String topic = args.value("topic", AimTopics.TELEMETRY_GPU);
        int intervalSeconds = args.intValue("interval", 5);
        int metricsPort = args.intValue("metrics-port", 9250);
        String node = args.optional("node").orElseGet(GpuCollectorCommand::hostName);
        Optional<String> sysfsRoot = args.optional("sysfs-root");
        int durationSeconds = args.intValue("duration", 0);
        args.requireConsumed();
        if (intervalSeconds < 1) {
            throw new IllegalArgumentException("--interval must be at least 1 second, got " + intervalSeconds);
        }
        if (durationSeconds < 0) {
            throw new IllegalArgumentException("--duration must not be negative, got " + durationSeconds);
        }
        PortCheck.requireFree(metricsPort, "GPU collector metrics", "--metrics-port");

        GpuRuntime.Builder builder = GpuRuntime.builder();
        sysfsRoot.ifPresent(root -> builder.sysfsRoot(Path.of(root)));
        GpuRuntime runtime = builder.open();
        out.println(runtime.summary());

        Duration interval = Duration.ofSeconds(intervalSeconds);
        CountDownLatch stopRequested = new CountDownLatch(1);
        CountDownLatch cleanedUp = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stopRequested.countDown();
            awaitQuietly(cleanedUp); // let Ctrl-C flush the producer before the JVM exits
        }, "aim-gpu-collector-stop");
        long rounds;
        try (MetricsEndpoint endpoint = startEndpoint(metricsPort, node);
                GpuSamplePublisher publisher = bootstrapServers
                        .map(servers -> new GpuSamplePublisher(servers, topic, interval))
                        .orElse(null)) {
            out.printf("Prometheus metrics: http://localhost:%d/metrics (aim_gpu_*)%n", endpoint.port());
            out.println(publisher == null
                    ? "No --bootstrap-servers: serving metrics only, publishing nothing."
                    : "Publishing GpuSample events to " + topic + " on " + bootstrapServers.get() + ".");
            String noGpu = "no AMD GPU under " + runtime.sysfsRoot().resolve("class/drm")
                    + (runtime.fallbackReason().isPresent() ? " and no usable GPU runtime" : "");
            GpuCollector collector = new GpuCollector(GpuSampler.of(runtime, node), endpoint,
                    Optional.ofNullable(publisher), interval, out, noGpu, Clock.systemUTC());
            Thread sampling = new Thread(collector, "aim-gpu-collector");
            sampling.setDaemon(true);
            Runtime.getRuntime().addShutdownHook(hook);
            sampling.start();
            out.println(durationSeconds > 0 ? "Stopping after " + durationSeconds + " s." : "Ctrl-C stops.");
            if (durationSeconds > 0) {
                stopRequested.await(durationSeconds, TimeUnit.SECONDS);
            } else {
                stopRequested.await();
            }
            collector.stop();
            sampling.join(30_000);
            rounds = collector.rounds();
            if (publisher != null) {
                publisher.close(); // flush before counting what was delivered
                out.printf("Stopped after %d sampling rounds; %d samples published, %d not delivered.%n", rounds,
                        publisher.sent(), publisher.failed());
            } else {
                out.printf("Stopped after %d sampling rounds.%n", rounds);
            }
        } finally {
            cleanedUp.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException | IllegalArgumentException shuttingDownOrNotAdded) {
                // Ctrl-C (the JVM is exiting anyway), or we never got as far as adding it.
            }
        }
        return 0;
    }

    private static MetricsEndpoint startEndpoint(int port, String node) {
        try {
            return MetricsEndpoint.start(port, GpuMetricsExposition.render(node, List.of(), System.currentTimeMillis()));
        } catch (IOException e) {
            // Taken between the check and the bind.
            throw new LocalStackException("port " + port + " (GPU collector metrics) is already in use; stop what"
                    + " holds it or pass --metrics-port <port>");
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return System.getenv().getOrDefault("HOSTNAME", "localhost");
        }
    }
}
