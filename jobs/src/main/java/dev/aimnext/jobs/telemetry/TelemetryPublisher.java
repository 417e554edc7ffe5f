package dev.aimnext.jobs.telemetry;

import dev.aimnext.jobs.kafka.BestEffortProducer;
import dev.aimnext.operators.qos.telemetry.vllm.ScrapeTranslation;
import dev.aimnext.schemas.codec.AvroEventCodec;
import dev.aimnext.schemas.event.GpuSample;
import dev.aimnext.schemas.event.RequestTelemetry;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.TimeoutException;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Publishes what a scrape turned into: {@code RequestTelemetry} keyed by model and
 * {@code GpuSample} keyed by GPU id, as the topic table says, Avro single-object encoded, each
 * record stamped with its event time.
 *
 * <p>Best-effort, like the GPU collector: a record that cannot be delivered is counted, and the
 * first error kept for the summary. When the broker does not answer, the rest of that scrape is
 * counted as not delivered instead of waiting {@code max.block.ms} once per record.
 */
public final class TelemetryPublisher implements TelemetrySink {

    private final KafkaProducer<byte[], byte[]> producer;
    private final String bootstrapServers;
    private final String requestsTopic;
    private final String gpuTopic;
    private final AvroEventCodec<RequestTelemetry> requestCodec = AvroEventCodec.of(RequestTelemetry.class);
    private final AvroEventCodec<GpuSample> gpuCodec = AvroEventCodec.of(GpuSample.class);
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicReference<String> firstError = new AtomicReference<>();

    public TelemetryPublisher(String bootstrapServers, String requestsTopic, String gpuTopic, Duration interval) {
        // A missing broker must not stall the next scrape for the default 60 s.
        long blockMs = Math.max(1_000, Math.min(interval.toMillis(), 10_000));
        Properties props = BestEffortProducer.config(bootstrapServers, "aim-scrape-vllm", Duration.ofMillis(blockMs));
        this.producer = new KafkaProducer<>(props);
        this.bootstrapServers = bootstrapServers;
        this.requestsTopic = requestsTopic;
        this.gpuTopic = gpuTopic;
    }

    /** The records for one scrape, requests first, in finish-time order. */
    public List<ProducerRecord<byte[], byte[]>> records(ScrapeTranslation scrape) {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (RequestTelemetry request : scrape.requests()) {
            records.add(new ProducerRecord<>(requestsTopic, null, request.getEventTimeMs(),
                    request.getModel().getBytes(StandardCharsets.UTF_8), requestCodec.encode(request)));
        }
        scrape.gpuSample().ifPresent(sample -> records.add(new ProducerRecord<>(gpuTopic, null,
                sample.getSampledAtMs(), sample.getGpuId().getBytes(StandardCharsets.UTF_8), gpuCodec.encode(sample))));
        return records;
    }

    /** Sends the scrape's records; delivery is counted as the broker acknowledges them. */
    @Override
    public void publish(ScrapeTranslation scrape) {
        List<ProducerRecord<byte[], byte[]>> records = records(scrape);
        for (int i = 0; i < records.size(); i++) {
            try {
                Future<RecordMetadata> sending = producer.send(records.get(i), (metadata, error) -> account(error));
                if (failedAtOnce(sending)) {
                    // Metadata did not come within max.block.ms: the broker is away for this scrape,
                    // and every further record would wait as long again.
                    failed.addAndGet(records.size() - i - 1);
                    return;
                }
            } catch (RuntimeException e) {
                failed.addAndGet(records.size() - i);
                firstError.compareAndSet(null, describe(e));
                return;
            }
        }
    }

    private static boolean failedAtOnce(Future<RecordMetadata> sending) {
        if (!sending.isDone()) {
            return false;
        }
        try {
            sending.get();
            return false;
        } catch (ExecutionException e) {
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Waits until everything sent so far is acknowledged or has failed. */
    @Override
    public void flush() {
        producer.flush();
    }

    private void account(Exception error) {
        if (error == null) {
            sent.incrementAndGet();
        } else {
            failed.incrementAndGet();
            firstError.compareAndSet(null, describe(error));
        }
    }

    private String describe(Exception error) {
        if (error instanceof TimeoutException) {
            return "Kafka at " + bootstrapServers + " did not answer (" + error.getMessage()
                    + "); is the broker running? (--bootstrap)";
        }
        return error.toString();
    }

    @Override
    public long sent() {
        return sent.get();
    }

    @Override
    public long failed() {
        return failed.get();
    }

    /** The first delivery error, for the summary line; empty when none failed. */
    @Override
    public String firstError() {
        String error = firstError.get();
        return error == null ? "" : error;
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
