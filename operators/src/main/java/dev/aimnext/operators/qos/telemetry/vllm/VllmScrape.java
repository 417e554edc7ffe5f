package dev.aimnext.operators.qos.telemetry.vllm;

import dev.aimnext.operators.qos.telemetry.prometheus.CumulativeHistogram;
import dev.aimnext.operators.qos.telemetry.prometheus.Exposition;
import dev.aimnext.operators.qos.telemetry.prometheus.Sample;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeSet;

/**
 * What one scrape says about one served model: each histogram, per series (one per data-parallel
 * engine), under whichever name this vLLM release uses, and the gauges over all engines.
 */
public final class VllmScrape {

    private static final String VLLM_PREFIX = "vllm:";

    /** One histogram family as this release names it, with the model's series by label set. */
    record Family(String name, Map<Map<String, String>, CumulativeHistogram> series) {}

    private final long scrapedAtMs;
    private final Map<VllmMetric, Family> histograms;
    private final VllmGauges gauges;

    private VllmScrape(long scrapedAtMs, Map<VllmMetric, Family> histograms, VllmGauges gauges) {
        this.scrapedAtMs = scrapedAtMs;
        this.histograms = Collections.unmodifiableMap(histograms);
        this.gauges = gauges;
    }

    /**
     * @throws VllmMetricsException if the scrape has no {@code vllm:*} metrics, none for this model,
     *     or lacks the end-to-end, time-to-first-token or per-token latency histogram
     */
    public static VllmScrape read(Exposition exposition, String model, long scrapedAtMs) {
        requireModel(exposition, model);
        Map<VllmMetric, Family> histograms = new EnumMap<>(VllmMetric.class);
        for (VllmMetric metric : VllmMetric.values()) {
            if (metric.isHistogram()) {
                histogramFamily(exposition, metric, model).ifPresent(family -> histograms.put(metric, family));
            }
        }
        requireHistogram(histograms, VllmMetric.E2E_LATENCY);
        requireHistogram(histograms, VllmMetric.TIME_TO_FIRST_TOKEN);
        if (!histograms.containsKey(VllmMetric.REQUEST_TIME_PER_OUTPUT_TOKEN)) {
            requireHistogram(histograms, VllmMetric.INTER_TOKEN_LATENCY);
        }
        VllmGauges gauges = new VllmGauges(
                gauge(exposition, VllmMetric.RUNNING_REQUESTS, model, false),
                gauge(exposition, VllmMetric.WAITING_REQUESTS, model, false),
                gauge(exposition, VllmMetric.KV_CACHE_USAGE, model, true));
        return new VllmScrape(scrapedAtMs, histograms, gauges);
    }

    public long scrapedAtMs() {
        return scrapedAtMs;
    }

    public VllmGauges gauges() {
        return gauges;
    }

    /** The family name this release exposes the metric under, if it exposes it. */
    public Optional<String> familyName(VllmMetric metric) {
        return Optional.ofNullable(histograms.get(metric)).map(Family::name);
    }

    Optional<Family> family(VllmMetric metric) {
        return Optional.ofNullable(histograms.get(metric));
    }

    private static void requireModel(Exposition exposition, String model) {
        TreeSet<String> models = new TreeSet<>();
        boolean anyVllm = false;
        for (Sample sample : exposition.samples()) {
            if (sample.name().startsWith(VLLM_PREFIX)) {
                anyVllm = true;
                String name = sample.labels().get(VllmMetric.MODEL_LABEL);
                if (name != null) {
                    models.add(name);
                }
            }
        }
        if (!anyVllm) {
            throw new VllmMetricsException("the scrape has no vllm:* metrics; is this the /metrics endpoint of a"
                    + " vLLM server?");
        }
        if (!models.contains(model)) {
            throw new VllmMetricsException("no vllm:* series with " + VllmMetric.MODEL_LABEL + "=\"" + model
                    + "\"; the server reports " + (models.isEmpty() ? "no model name" : String.join(", ", models))
                    + " (pass the served model name, vLLM's --served-model-name)");
        }
    }

    private static void requireHistogram(Map<VllmMetric, Family> histograms, VllmMetric metric) {
        if (!histograms.containsKey(metric)) {
            throw new VllmMetricsException("the scrape has no " + String.join(" or ", metric.names())
                    + " histogram, which the telemetry estimate needs");
        }
    }

    /**
     * The first name of the metric this release declares. V0 servers create a histogram's series
     * only at its first observation, so a declared family may have no series yet: that is an empty
     * histogram, not a missing one.
     */
    private static Optional<Family> histogramFamily(Exposition exposition, VllmMetric metric, String model) {
        for (String name : metric.names()) {
            if (exposition.hasFamily(name)) {
                Map<Map<String, String>, CumulativeHistogram> series = new LinkedHashMap<>();
                for (CumulativeHistogram histogram : exposition.histograms(name)) {
                    if (model.equals(histogram.labels().get(VllmMetric.MODEL_LABEL))) {
                        series.put(histogram.labels(), histogram);
                    }
                }
                return Optional.of(new Family(name, Collections.unmodifiableMap(series)));
            }
        }
        return Optional.empty();
    }

    /**
     * A gauge over the model's engines: summed, or averaged for a fraction. In multi-process mode
     * prometheus_client keeps a gauge without a {@code multiprocess_mode} once per API-server
     * process, labelled {@code pid}, and only the process that received the engine's stats holds
     * its value (vLLM's kv_cache_usage_perc before the fix of vLLM PR 28792); so per engine the
     * largest value over {@code pid}s is the reading.
     */
    private static OptionalDouble gauge(Exposition exposition, VllmMetric metric, String model, boolean fraction) {
        for (String name : metric.names()) {
            Map<Map<String, String>, Double> perEngine = new LinkedHashMap<>();
            for (Sample sample : exposition.samples(name)) {
                if (model.equals(sample.labels().get(VllmMetric.MODEL_LABEL)) && !Double.isNaN(sample.value())) {
                    perEngine.merge(sample.labelsWithout("pid"), sample.value(), Math::max);
                }
            }
            if (!perEngine.isEmpty()) {
                List<Double> values = new ArrayList<>(perEngine.values());
                double total = values.stream().mapToDouble(Double::doubleValue).sum();
                return OptionalDouble.of(fraction ? total / values.size() : total);
            }
        }
        return OptionalDouble.empty();
    }
}
