package dev.aimnext.operators.qos.telemetry.vllm;

import dev.aimnext.operators.qos.telemetry.prometheus.BucketCounts;
import dev.aimnext.operators.qos.telemetry.prometheus.CumulativeHistogram;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Map.Entry;
import java.util.Optional;

/**
 * What happened to one model between two scrapes: per histogram, the observations added, over all
 * its engines.
 *
 * <p><b>Counter resets.</b> vLLM's histograms count from its start. A series whose counts or sum went
 * down since the previous scrape belongs to a restarted (or upgraded) server, so its current values
 * are taken whole as the increase: they are what happened since the restart, which came after the
 * previous scrape. What the old process did between the previous scrape and its end is lost; no
 * scraper can see it. A series that was not there before (a V0 server creates a series at its
 * first observation, a new engine brings its own) likewise counts whole.
 */
public final class VllmInterval {

    private final long fromMs;
    private final long toMs;
    private final Map<VllmMetric, BucketCounts> increases;
    private final Map<VllmMetric, BucketCounts> sinceStart;
    private final int resetSeries;

    private VllmInterval(long fromMs, long toMs, Map<VllmMetric, BucketCounts> increases,
            Map<VllmMetric, BucketCounts> sinceStart, int resetSeries) {
        this.fromMs = fromMs;
        this.toMs = toMs;
        this.increases = Collections.unmodifiableMap(increases);
        this.sinceStart = Collections.unmodifiableMap(sinceStart);
        this.resetSeries = resetSeries;
    }

    /**
     * @throws VllmMetricsException if the engines of the model report one histogram with different
     *     buckets, which no vLLM release does
     */
    public static VllmInterval between(VllmScrape previous, VllmScrape current) {
        Map<VllmMetric, BucketCounts> increases = new EnumMap<>(VllmMetric.class);
        Map<VllmMetric, BucketCounts> sinceStart = new EnumMap<>(VllmMetric.class);
        int resets = 0;
        for (VllmMetric metric : VllmMetric.values()) {
            Optional<VllmScrape.Family> now = current.family(metric);
            if (now.isEmpty()) {
                continue;
            }
            // After an upgrade renamed the family, nothing before compares with what is there now.
            Map<Map<String, String>, CumulativeHistogram> before = previous.family(metric)
                    .filter(f -> f.name().equals(now.get().name()))
                    .map(VllmScrape.Family::series)
                    .orElse(Map.of());
            BucketCounts added = null;
            BucketCounts total = null;
            for (Entry<Map<String, String>, CumulativeHistogram> series : now.get().series().entrySet()) {
                CumulativeHistogram reading = series.getValue();
                CumulativeHistogram earlier = before.get(series.getKey());
                BucketCounts increase;
                if (earlier == null) {
                    increase = reading.sinceStart();
                } else if (reading.wentBackSince(earlier)) {
                    increase = reading.sinceStart();
                    resets++;
                } else {
                    increase = reading.increaseSince(earlier);
                }
                added = add(now.get().name(), added, increase);
                total = add(now.get().name(), total, reading.sinceStart());
            }
            if (added != null) {
                increases.put(metric, added);
                sinceStart.put(metric, total);
            }
        }
        return new VllmInterval(previous.scrapedAtMs(), current.scrapedAtMs(), increases, sinceStart, resets);
    }

    private static BucketCounts add(String family, BucketCounts sum, BucketCounts more) {
        if (sum == null) {
            return more;
        }
        if (!sum.hasSameBucketsAs(more)) {
            throw new VllmMetricsException("the engines of one model report " + family + " with different buckets");
        }
        return sum.plus(more);
    }

    /** When the previous scrape was taken. */
    public long fromMs() {
        return fromMs;
    }

    /** When this scrape was taken. */
    public long toMs() {
        return toMs;
    }

    /** Requests that finished in the interval: the end-to-end latency observations added. */
    public int finishedRequests() {
        return increase(VllmMetric.E2E_LATENCY).map(c -> (int) Math.round(c.count())).orElse(0);
    }

    /** The observations added to a histogram over all engines; empty if the server has no such series. */
    public Optional<BucketCounts> increase(VllmMetric metric) {
        return Optional.ofNullable(increases.get(metric));
    }

    /** Everything the histogram counted since the server started, over all engines. */
    public Optional<BucketCounts> sinceStart(VllmMetric metric) {
        return Optional.ofNullable(sinceStart.get(metric));
    }

    /** How many series went back (a restarted server), and were taken whole. */
    public int resetSeries() {
        return resetSeries;
    }
}
