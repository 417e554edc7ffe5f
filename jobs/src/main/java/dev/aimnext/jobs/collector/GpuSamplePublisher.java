package dev.aimnext.jobs.collector;

import dev.aimnext.schemas.codec.AvroEventCodec;
import dev.aimnext.schemas.event.GpuSample;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;

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

    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;
    private final AvroEventCodec<GpuSample> codec = AvroEventCodec.of(GpuSample.class);
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();

    public GpuSamplePublisher(String bootstrapServers, String topic, Duration interval) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "aim-gpu-collector");
        // A missing broker must not stall sampling for the default 60 s.
        long blockMs = Math.max(1_000, Math.min(interval.toMillis(), 10_000));
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) blockMs);
        this.producer = new KafkaProducer<>(props);
        this.topic = topic;
    }

    /** Builds the record for one sample: key gpuId, value single-object Avro, timestamp the sampling time. */
    public ProducerRecord<byte[], byte[]> record(GpuSample sample) {
        return new ProducerRecord<>(topic, null, sample.getSampledAtMs(),
                sample.getGpuId().getBytes(StandardCharsets.UTF_8), codec.encode(sample));
    }

    public void publish(List<GpuSample> samples) {
        for (GpuSample sample : samples) {
            try {
                producer.send(record(sample), (metadata, error) -> account(error));
            } catch (RuntimeException e) {
                account(e); // e.g. metadata not available within max.block.ms
            }
        }
    }

    private void account(Exception error) {
        if (error == null) {
            sent.incrementAndGet();
            return;
        }
        long n = failed.incrementAndGet();
        if (n == 1 || n % 100 == 0) {
            LOG.warn("GpuSample not delivered to {} ({} so far): {}", topic, n, error.toString());
        }
    }

    public long sent() {
        return sent.get();
    }

    public long failed() {
        return failed.get();
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
