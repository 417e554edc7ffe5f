package dev.aimnext.jobs.kafka;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;

import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A producer for side outputs that must never hold up the work they report on (GPU samples,
 * training events): a record that cannot be delivered is counted and logged (the first failure,
 * then every hundredth), never retried into the next round.
 */
public final class BestEffortProducer implements AutoCloseable {

    private final KafkaProducer<byte[], byte[]> producer;
    private final String what;
    private final Logger log;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();

    /**
     * @param config from {@link #config}, possibly extended
     * @param what names the records in log lines, e.g. {@code GpuSample}
     */
    public BestEffortProducer(Properties config, String what, Logger log) {
        this.producer = new KafkaProducer<>(config);
        this.what = what;
        this.log = log;
    }

    /**
     * Byte-array producer settings with {@code acks=all}; {@code maxBlock} bounds how long a send
     * waits for metadata, so a missing broker costs that long at most instead of the default 60 s.
     */
    public static Properties config(String bootstrapServers, String clientId, Duration maxBlock) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) maxBlock.toMillis());
        return props;
    }

    /** Sends; delivery is counted when the broker acknowledges or refuses it. */
    public void send(ProducerRecord<byte[], byte[]> record) {
        try {
            producer.send(record, (metadata, error) -> account(record.topic(), error));
        } catch (RuntimeException e) {
            account(record.topic(), e); // e.g. metadata not available within max.block.ms
        }
    }

    private void account(String topic, Exception error) {
        if (error == null) {
            sent.incrementAndGet();
            return;
        }
        long n = failed.incrementAndGet();
        if (n == 1 || n % 100 == 0) {
            log.warn("{} not delivered to {} ({} so far): {}", what, topic, n, error.toString());
        }
    }

    public long sent() {
        return sent.get();
    }

    public long failed() {
        return failed.get();
    }

    public void close(Duration timeout) {
        producer.close(timeout);
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(10));
    }
}
