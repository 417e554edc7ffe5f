package dev.aimnext.jobs.telemetry;

import dev.aimnext.operators.qos.telemetry.vllm.ScrapeTranslation;
import dev.aimnext.operators.qos.telemetry.vllm.VllmGauges;
import dev.aimnext.operators.qos.telemetry.vllm.VllmTelemetryTranslator;
import dev.aimnext.schemas.event.RequestTelemetry;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * Scrapes one vLLM server every interval, turns each scrape into events and publishes them,
 * printing one line per scrape.
 *
 * <p>The first scrape must succeed: a wrong URL, port or model name is a mistake to report at once,
 * before anything connects to Kafka. After that a failed scrape (the server restarting, say) is
 * printed and the next one compares with the last good one, so no finished request is lost or
 * counted twice.
 */
public final class VllmScraper {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

    private final MetricsEndpoint endpoint;
    private final VllmTelemetryTranslator translator;
    private final Function<Duration, TelemetrySink> publishers;
    private final Duration interval;
    private final PrintStream out;
    private final Clock clock;

    /**
     * @param publishers opens the sink once the first scrape succeeded, given the interval
     */
    public VllmScraper(MetricsEndpoint endpoint, VllmTelemetryTranslator translator,
            Function<Duration, TelemetrySink> publishers, Duration interval, PrintStream out, Clock clock) {
        this.endpoint = endpoint;
        this.translator = translator;
        this.publishers = publishers;
        this.interval = interval;
        this.out = out;
        this.clock = clock;
    }

    /** What a run published. */
    public record Summary(int scrapes, long published, long notDelivered, String firstError) {}

    /**
     * Scrapes until {@code stop} opens, or exactly twice, one interval apart, with {@code once}.
     *
     * @throws MetricsEndpointException or {@link IllegalArgumentException} if the first scrape fails
     */
    public Summary run(boolean once, CountDownLatch stop) throws InterruptedException {
        ScrapeTranslation first = scrape();
        int scrapes = 1;
        out.println(line(first));
        try (TelemetrySink publisher = publishers.apply(interval)) {
            publisher.publish(first);
            long next = clock.millis() + interval.toMillis();
            while (!(once && scrapes == 2)) {
                long wait = Math.max(0, next - clock.millis());
                if (stop.await(wait, TimeUnit.MILLISECONDS)) {
                    break;
                }
                next += interval.toMillis();
                scrapes++;
                try {
                    ScrapeTranslation scrape = scrape();
                    out.println(line(scrape));
                    publisher.publish(scrape);
                } catch (MetricsEndpointException | IllegalArgumentException e) {
                    if (once) {
                        throw e;
                    }
                    out.println(time(clock.millis()) + "  scrape failed, retrying in " + describe(interval) + ": "
                            + e.getMessage());
                }
            }
            publisher.flush();
            return new Summary(scrapes, publisher.sent(), publisher.failed(), publisher.firstError());
        }
    }

    private ScrapeTranslation scrape() throws InterruptedException {
        return translator.translate(endpoint.scrape(), clock.millis());
    }

    String line(ScrapeTranslation scrape) {
        StringBuilder line = new StringBuilder(time(scrape.scrapedAtMs())).append("  ");
        List<RequestTelemetry> requests = scrape.requests();
        if (scrape.baseline()) {
            line.append("baseline of ").append(translator.target().model()).append(" (requests count from the next"
                    + " scrape; time per output token from ").append(scrape.tpotSource()).append(")");
        } else if (requests.isEmpty()) {
            line.append("no requests finished");
        } else {
            line.append(String.format(Locale.ROOT, "%d requests finished, p50 e2e %.2f s, TTFT %.0f ms, TPOT %.1f ms",
                    requests.size(), median(requests, RequestTelemetry::getE2eMs) / 1000,
                    median(requests, RequestTelemetry::getTtftMs), median(requests, RequestTelemetry::getTpotMs)));
        }
        if (scrape.resetSeries() > 0) {
            line.append(" (the server restarted: its counters went back, counting from zero)");
        }
        VllmGauges gauges = scrape.gauges();
        line.append("; running ").append(count(gauges.runningRequests()))
                .append(", waiting ").append(count(gauges.waitingRequests()))
                .append(", KV cache ").append(gauges.kvCacheUsage().isPresent()
                        ? String.format(Locale.ROOT, "%.1f%%", 100 * gauges.kvCacheUsage().getAsDouble()) : "?");
        return line.toString();
    }

    /** An interval as people write it: {@code 5 s}, {@code 250 ms}. */
    public static String describe(Duration interval) {
        long ms = interval.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms";
    }

    private static double median(List<RequestTelemetry> requests, ToDoubleFunction<RequestTelemetry> measure) {
        double[] values = requests.stream().mapToDouble(measure).sorted().toArray();
        return values[values.length / 2];
    }

    private static String count(OptionalDouble value) {
        return value.isPresent() ? Long.toString(Math.round(value.getAsDouble())) : "?";
    }

    private String time(long epochMs) {
        return TIME.format(LocalTime.ofInstant(Instant.ofEpochMilli(epochMs), ZoneId.systemDefault()));
    }
}
