package dev.aimnext.jobs.cli;

import dev.aimnext.jobs.local.AimTopics;
import dev.aimnext.jobs.telemetry.MetricsEndpoint;
import dev.aimnext.jobs.telemetry.TelemetryPublisher;
import dev.aimnext.jobs.telemetry.VllmScraper;
import dev.aimnext.operators.qos.telemetry.vllm.VllmTelemetryTranslator;
import dev.aimnext.schemas.event.RequestPriority;

import java.io.PrintStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code aim scrape-vllm}: reads a vLLM server's Prometheus {@code /metrics} every interval and
 * publishes estimated {@code RequestTelemetry} (one per finished request) and KV-cache
 * {@code GpuSample} events, for servers whose requests do not pass a gateway that reports them.
 * Runs until Ctrl-C, or with {@code --once} scrapes twice, one interval apart, and exits.
 */
final class ScrapeVllmCommand {

    private static final long GIB = 1L << 30;

    private final CliArgs args;
    private final PrintStream out;

    ScrapeVllmCommand(CliArgs args, PrintStream out) {
        this.args = args;
        this.out = out;
    }

    int run() throws InterruptedException {
        String url = required("url", "the vLLM metrics endpoint, e.g. http://localhost:8000/metrics");
        String model = required("model", "the served model name, as vLLM's model_name label has it");
        String partition = required("partition", "the GPU partition the server runs in, e.g. gpu0/cpx3");
        String bootstrap = args.value("bootstrap", "localhost:9092");
        Duration interval = interval(args.value("interval", "5s"));
        boolean once = args.flag("once");
        Optional<String> vramLimit = args.optional("vram-limit-gb");
        String node = args.optional("node").orElseGet(ScrapeVllmCommand::hostName);
        Optional<String> gpuId = args.optional("gpu-id");
        RequestPriority priority = priority(args.value("priority", "NORMAL"));
        String computeMode = args.value("compute-mode", "NONE");
        String memoryMode = args.value("memory-mode", "NONE");
        String requestsTopic = args.value("requests-topic", AimTopics.TELEMETRY_REQUESTS);
        String gpuTopic = args.value("gpu-topic", AimTopics.TELEMETRY_GPU);
        args.requireConsumed();
        long vramLimitBytes = vramLimit.map(ScrapeVllmCommand::gibToBytes).orElse(0L);

        URI uri = MetricsEndpoint.metricsUri(url);
        VllmTelemetryTranslator.Builder translator = VllmTelemetryTranslator.builder()
                .model(model).partition(partition).node(node).priority(priority)
                .vramLimitBytes(vramLimitBytes).partitionModes(computeMode, memoryMode);
        gpuId.ifPresent(translator::gpuId);
        VllmScraper scraper = new VllmScraper(new MetricsEndpoint(uri, Duration.ofSeconds(10)), translator.build(),
                every -> new TelemetryPublisher(bootstrap, requestsTopic, gpuTopic, every), interval, out,
                Clock.systemUTC());

        out.printf("Scraping %s every %s for model %s in partition %s; publishing to %s and %s on %s.%n", uri,
                VllmScraper.describe(interval), model, partition, requestsTopic, gpuTopic, bootstrap);
        out.println(vramLimitBytes > 0
                ? "GpuSample: KV-cache usage times --vram-limit-gb " + vramLimit.get() + " as VRAM used."
                : "No --vram-limit-gb: publishing RequestTelemetry only, no GpuSample.");
        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch cleanedUp = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stop.countDown();
            awaitQuietly(cleanedUp); // let Ctrl-C flush the producer before the JVM exits
        }, "aim-scrape-vllm-stop");
        VllmScraper.Summary summary;
        try {
            if (!once) {
                Runtime.getRuntime().addShutdownHook(hook);
                out.println("Ctrl-C stops.");
            }
            summary = scraper.run(once, stop);
        } finally {
            cleanedUp.countDown();
            if (!once) {
                removeHook(hook);
            }
        }
        out.printf("Stopped after %d scrapes; %d events published, %d not delivered.%n", summary.scrapes(),
                summary.published(), summary.notDelivered());
        if (summary.notDelivered() > 0) {
            out.println("First delivery error: " + summary.firstError());
            return 1;
        }
        return 0;
    }

    private String required(String name, String what) {
        return args.optional(name).filter(v -> !v.isBlank())
                .orElseThrow(() -> new IllegalArgumentException("scrape-vllm needs --" + name + ": " + what));
    }

    /** {@code 5}, {@code 5s}, {@code 500ms} or {@code 1m}; a bare number is seconds. */
    static Duration interval(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        long unitMs = 1000;
        if (t.endsWith("ms")) {
            unitMs = 1;
            t = t.substring(0, t.length() - 2);
        } else if (t.endsWith("s")) {
            t = t.substring(0, t.length() - 1);
        } else if (t.endsWith("m")) {
            unitMs = 60_000;
            t = t.substring(0, t.length() - 1);
        }
        double amount;
        try {
            amount = Double.parseDouble(t);
        } catch (NumberFormatException e) {
            amount = Double.NaN;
        }
        long ms = Math.round(amount * unitMs);
        if (!(amount > 0) || Double.isInfinite(amount) || ms < 100) {
            throw new IllegalArgumentException("--interval must be a duration of at least 100ms such as 5s, 500ms"
                    + " or 1m, got '" + text + "'");
        }
        return Duration.ofMillis(ms);
    }

    private static long gibToBytes(String text) {
        double gib;
        try {
            gib = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            gib = Double.NaN;
        }
        if (!(gib > 0) || Double.isInfinite(gib)) {
            throw new IllegalArgumentException("--vram-limit-gb must be a positive number of GiB, got '" + text + "'");
        }
        return Math.round(gib * GIB);
    }

    private static RequestPriority priority(String text) {
        try {
            return RequestPriority.valueOf(text.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--priority must be HIGH, NORMAL or LOW, got '" + text + "'");
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // Ctrl-C: the JVM is exiting anyway.
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
