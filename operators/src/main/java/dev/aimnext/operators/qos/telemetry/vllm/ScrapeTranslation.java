package dev.aimnext.operators.qos.telemetry.vllm;

import dev.aimnext.schemas.event.GpuSample;
import dev.aimnext.schemas.event.RequestTelemetry;

import java.util.List;
import java.util.Optional;

/**
 * What one scrape turned into.
 *
 * @param scrapedAtMs when the scrape was taken
 * @param baseline true for the first scrape, which only sets the counters to compare with; it
 *     yields no requests, since its histograms hold everything since the server started
 * @param requests the estimated requests that finished since the previous scrape, by finish time
 * @param gpuSample the KV-cache memory sample, when the target has a VRAM limit
 * @param gauges running and waiting requests and KV-cache usage now
 * @param resetSeries histogram series that went back (a restarted server) and were taken whole
 * @param tpotSource the vLLM family the time per output token came from
 */
public record ScrapeTranslation(long scrapedAtMs, boolean baseline, List<RequestTelemetry> requests,
        Optional<GpuSample> gpuSample, VllmGauges gauges, int resetSeries, String tpotSource) {

    public ScrapeTranslation {
        requests = List.copyOf(requests);
    }
}
