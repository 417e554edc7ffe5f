package dev.aimnext.jobs.telemetry;

import dev.aimnext.operators.qos.telemetry.vllm.ScrapeTranslation;

/** Where the scraper puts what each scrape turned into; {@link TelemetryPublisher} sends it to Kafka. */
public interface TelemetrySink extends AutoCloseable {

    /** Hands over the events of one scrape; delivery may complete later. */
    void publish(ScrapeTranslation scrape);

    /** Waits until everything handed over is delivered or has failed. */
    void flush();

    /** Events delivered so far. */
    long sent();

    /** Events that could not be delivered so far. */
    long failed();

    /** The first delivery error, or an empty string. */
    String firstError();

    @Override
    void close();
}
