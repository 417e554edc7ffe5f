package dev.aimnext.operators.qos.telemetry.vllm;

import dev.aimnext.operators.qos.telemetry.prometheus.Exposition;
import dev.aimnext.schemas.event.RequestPriority;
import dev.aimnext.schemas.event.RequestTelemetry;

import java.util.List;

/**
 * Turns successive scrapes of one vLLM server's {@code /metrics} into the events of
 * {@code aim.telemetry.requests} and {@code aim.telemetry.gpu}: the entry point of this package.
 *
 * <pre>{@code
 * VllmTelemetryTranslator translator = VllmTelemetryTranslator.builder()
 *         .model("Qwen/Qwen3-8B").partition("gpu0/cpx3").node("node-1").gpuId("gpu0")
 *         .vramLimitBytes(24L << 30).build();
 * ScrapeTranslation t = translator.translate(PrometheusTextParser.parse(body), System.currentTimeMillis());
 * }</pre>
 *
 * <p>It keeps the previous scrape: the first one is a {@linkplain ScrapeTranslation#baseline()
 * baseline}, each later one yields the requests finished since the one before, estimated as
 * {@link RequestTelemetryEstimator} explains, with restarts handled as {@link VllmInterval} does.
 * Works with vLLM's V0 metrics (0.6) through the V1 names of 0.11 and later; see
 * {@link VllmMetric}. Not thread-safe: one translator per scraped server.
 */
public final class VllmTelemetryTranslator {

    private final ScrapeTarget target;
    private VllmScrape previous;

    private VllmTelemetryTranslator(ScrapeTarget target) {
        this.target = target;
    }

    public static Builder builder() {
        return new Builder();
    }

    public ScrapeTarget target() {
        return target;
    }

    /**
     * Reads one scrape.
     *
     * @throws VllmMetricsException if it has no vLLM metrics for the target's model; the previous
     *     scrape is kept, so the next good one compares with it
     */
    public ScrapeTranslation translate(Exposition exposition, long scrapedAtMs) {
        VllmScrape current = VllmScrape.read(exposition, target.model(), scrapedAtMs);
        String tpotSource = current.familyName(VllmMetric.REQUEST_TIME_PER_OUTPUT_TOKEN)
                .or(() -> current.familyName(VllmMetric.INTER_TOKEN_LATENCY))
                .orElse("");
        List<RequestTelemetry> requests = List.of();
        int resets = 0;
        if (previous != null) {
            VllmInterval interval = VllmInterval.between(previous, current);
            requests = RequestTelemetryEstimator.estimate(interval, target);
            resets = interval.resetSeries();
        }
        boolean baseline = previous == null;
        previous = current;
        return new ScrapeTranslation(scrapedAtMs, baseline, requests,
                KvCacheGpuSample.of(target, current.gauges(), scrapedAtMs), current.gauges(), resets, tpotSource);
    }

    /** Collects the {@link ScrapeTarget}; model and partition are required. */
    public static final class Builder {

        private String model;
        private String partition;
        private String node = "";
        private String gpuId;
        private RequestPriority priority = RequestPriority.NORMAL;
        private long vramLimitBytes;
        private String computePartitionMode = "NONE";
        private String memoryPartitionMode = "NONE";

        private Builder() {}

        /** The served model name, as vLLM's {@code model_name} label has it. */
        public Builder model(String model) {
            this.model = model;
            return this;
        }

        /** The GPU partition the server runs in, e.g. {@code gpu0/cpx3}. */
        public Builder partition(String partition) {
            this.partition = partition;
            return this;
        }

        public Builder node(String node) {
            this.node = node;
            return this;
        }

        /** The GPU; by default the partition up to its first {@code /} ({@code gpu0} for {@code gpu0/cpx3}). */
        public Builder gpuId(String gpuId) {
            this.gpuId = gpuId;
            return this;
        }

        public Builder priority(RequestPriority priority) {
            this.priority = priority;
            return this;
        }

        /** The model's memory budget in the partition; 0 (the default) publishes no GpuSample. */
        public Builder vramLimitBytes(long vramLimitBytes) {
            this.vramLimitBytes = vramLimitBytes;
            return this;
        }

        public Builder partitionModes(String compute, String memory) {
            this.computePartitionMode = compute;
            this.memoryPartitionMode = memory;
            return this;
        }

        public VllmTelemetryTranslator build() {
            String gpu = gpuId;
            if (gpu == null && partition != null) {
                int slash = partition.indexOf('/');
                gpu = slash > 0 ? partition.substring(0, slash) : partition;
            }
            return new VllmTelemetryTranslator(new ScrapeTarget(model, partition, node, gpu == null ? "" : gpu,
                    priority, vramLimitBytes, computePartitionMode, memoryPartitionMode));
        }
    }
}
