package dev.aimnext.jobs.collector;

import dev.aimnext.jobs.kafka.BestEffortProducer;
import dev.aimnext.schemas.codec.AvroEventCodec;
import dev.aimnext.schemas.event.GpuSample;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

/**
 * Publishes samples to {@code aim.telemetry.gpu}: Avro single-object encoding, keyed by GPU id as
 * the topic table says, so all partitions of one GPU land in one Kafka partition, in order.
 *
 * <p>Telemetry is best-effort: a sample that cannot be delivered is counted and logged (the first
 * failure, then every hundredth), never retried into the next interval, and the collector keeps
 * sampling and serving metrics while the broker is away.
 */
public final class GpuSamplePublisher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GpuSamplePublisher.class);

    private final BestEffortProducer producer;
    private final String topic;
    private final AvroEventCodec<GpuSample> codec = AvroEventCodec.of(GpuSample.class);

    public GpuSamplePublisher(String bootstrapServers, String topic, Duration interval) {
        // A missing broker must not stall sampling for the default 60 s.
        long blockMs = Math.max(1_000, Math.min(interval.toMillis(), 10_000));
        Properties props = BestEffortProducer.config(bootstrapServers, "aim-gpu-collector", Duration.ofMillis(blockMs));
        props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        this.producer = new BestEffortProducer(props, "GpuSample", LOG);
        this.topic = topic;
    }

    /** Builds the record for one sample: key gpuId, value single-object Avro, timestamp the sampling time. */
    public ProducerRecord<byte[], byte[]> record(GpuSample sample) {
        return new ProducerRecord<>(topic, null, sample.getSampledAtMs(),
                sample.getGpuId().getBytes(StandardCharsets.UTF_8), codec.encode(sample));
    }

    public void publish(List<GpuSample> samples) {
        for (GpuSample sample : samples) {
            producer.send(record(sample));
        }
    }

    public long sent() {
        return producer.sent();
    }

    public long failed() {
        return producer.failed();
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
