package dev.aimnext.operators.qos.telemetry.prometheus;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One series of a Prometheus histogram as scraped: cumulative counts per upper bound ({@code le}),
 * the {@code +Inf} total and the sum of all observations since the exporter started.
 *
 * <p>The {@code +Inf} bucket is taken as the count; {@code _count} only repeats it, and a client
 * that reads its buckets and count at slightly different moments must not make a scrape invalid.
 */
public final class CumulativeHistogram {

    private final String family;
    private final Map<String, String> labels;
    private final double[] upperBounds;
    private final double[] cumulativeCounts;
    private final double count;
    private final double sum;

    /**
     * @param upperBounds the finite bounds, ascending
     * @param cumulativeCounts observations at or below each finite bound
     * @param count all observations (the {@code +Inf} bucket)
     * @param sum the sum of all observations; NaN when the exporter wrote none
     */
    public CumulativeHistogram(String family, Map<String, String> labels, double[] upperBounds,
            double[] cumulativeCounts, double count, double sum) {
        this.family = Objects.requireNonNull(family, "family");
        this.labels = Map.copyOf(labels);
        if (upperBounds.length != cumulativeCounts.length) {
            throw new IllegalArgumentException("need one cumulative count per bound");
        }
        this.upperBounds = upperBounds.clone();
        this.cumulativeCounts = cumulativeCounts.clone();
        this.count = count;
        this.sum = sum;
    }

    static List<CumulativeHistogram> collect(Exposition exposition, String family) {
        Map<Map<String, String>, TreeMap<Double, Double>> bySeries = new LinkedHashMap<>();
        for (Sample bucket : exposition.samples(family + "_bucket")) {
            String le = bucket.labels().get("le");
            if (le == null) {
                throw seriesError(family, bucket.labels(), "a _bucket sample has no le label");
            }
            double bound;
            try {
                bound = PrometheusTextParser.parseNumber(le);
            } catch (NumberFormatException e) {
                bound = Double.NaN;
            }
            Map<String, String> series = bucket.labelsWithout("le");
            if (Double.isNaN(bound) || bound == Double.NEGATIVE_INFINITY) {
                throw seriesError(family, series, "le=\"" + le + "\" is not a bucket bound");
            }
            if (bySeries.computeIfAbsent(series, s -> new TreeMap<>()).put(bound, bucket.value()) != null) {
                throw seriesError(family, series, "bucket le=\"" + le + "\" appears twice");
            }
        }
        Map<Map<String, String>, Double> sums = new LinkedHashMap<>();
        for (Sample sum : exposition.samples(family + "_sum")) {
            sums.put(sum.labels(), sum.value());
        }
        List<CumulativeHistogram> histograms = new ArrayList<>();
        bySeries.forEach((series, buckets) ->
                histograms.add(of(family, series, buckets, sums.getOrDefault(series, Double.NaN))));
        return histograms;
    }

    private static CumulativeHistogram of(String family, Map<String, String> series, TreeMap<Double, Double> buckets,
            double sum) {
        Double total = buckets.remove(Double.POSITIVE_INFINITY);
        if (total == null) {
            throw seriesError(family, series, "there is no le=\"+Inf\" bucket");
        }
        double[] bounds = new double[buckets.size()];
        double[] cumulative = new double[buckets.size()];
        int i = 0;
        double previous = 0;
        for (Map.Entry<Double, Double> bucket : buckets.entrySet()) {
            bounds[i] = bucket.getKey();
            cumulative[i] = bucket.getValue();
            requireCumulative(family, series, previous, cumulative[i], "le=" + bucket.getKey());
            previous = cumulative[i++];
        }
        requireCumulative(family, series, previous, total, "le=+Inf");
        return new CumulativeHistogram(family, series, bounds, cumulative, total, sum);
    }

    private static void requireCumulative(String family, Map<String, String> series, double below, double count,
            String bucket) {
        if (Double.isNaN(count) || count < 0 || count < below) {
            throw seriesError(family, series, "bucket " + bucket + " has " + count + " observations, fewer than the "
                    + below + " below it; buckets must be cumulative");
        }
    }

    private static ExpositionFormatException seriesError(String family, Map<String, String> series, String problem) {
        return new ExpositionFormatException(0, "histogram " + family + series + ": " + problem);
    }

    public String family() {
        return family;
    }

    /** The series labels, without {@code le}. */
    public Map<String, String> labels() {
        return labels;
    }

    public double[] upperBounds() {
        return upperBounds.clone();
    }

    public double[] cumulativeCounts() {
        return cumulativeCounts.clone();
    }

    public double count() {
        return count;
    }

    public double sum() {
        return sum;
    }

    public boolean hasSameBucketsAs(CumulativeHistogram other) {
        return Arrays.equals(upperBounds, other.upperBounds);
    }

    /**
     * Whether this reading cannot follow {@code previous} of the same series: a bucket's own count
     * or the sum went down, or the buckets changed. Each bucket is a counter of its own, and
     * counters only go down when the exporter restarted (or was upgraded), so everything this
     * reading holds happened since. Comparing per bucket, not only the cumulative counts, also
     * catches a restart after which the new observations already outnumber the old ones.
     */
    public boolean wentBackSince(CumulativeHistogram previous) {
        if (!hasSameBucketsAs(previous)) {
            return true;
        }
        double[] now = sinceStart().counts();
        double[] before = previous.sinceStart().counts();
        for (int i = 0; i < now.length; i++) {
            if (now[i] < before[i]) {
                return true;
            }
        }
        // Only meaningful for non-negative observations (latencies, token counts), which is what
        // every histogram read here holds.
        return Double.isFinite(sum) && Double.isFinite(previous.sum) && sum < previous.sum;
    }

    /**
     * The observations made since {@code previous}, per bucket.
     *
     * @throws IllegalArgumentException if the counters {@linkplain #wentBackSince went back}
     */
    public BucketCounts increaseSince(CumulativeHistogram previous) {
        if (wentBackSince(previous)) {
            throw new IllegalArgumentException("histogram " + family + labels + " went back since the previous"
                    + " reading; take the current values whole");
        }
        double[] counts = sinceStart().counts();
        double[] before = previous.sinceStart().counts();
        for (int i = 0; i < counts.length; i++) {
            // Counts are whole numbers; rint drops float noise from exporters that add them up.
            counts[i] = Math.rint(counts[i] - before[i]);
        }
        double sumIncrease = Double.isFinite(sum) && Double.isFinite(previous.sum) ? sum - previous.sum : Double.NaN;
        return new BucketCounts(upperBounds, counts, sumIncrease);
    }

    /** All observations since the exporter started, per bucket. */
    public BucketCounts sinceStart() {
        double[] counts = new double[upperBounds.length + 1];
        double below = 0;
        for (int i = 0; i < upperBounds.length; i++) {
            counts[i] = cumulativeCounts[i] - below;
            below = cumulativeCounts[i];
        }
        counts[upperBounds.length] = count - below;
        return new BucketCounts(upperBounds, counts, sum);
    }

    @Override
    public String toString() {
        return family + labels + " count=" + count + " sum=" + sum;
    }
}
