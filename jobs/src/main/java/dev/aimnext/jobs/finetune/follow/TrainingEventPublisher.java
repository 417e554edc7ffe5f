package dev.aimnext.jobs.finetune.follow;

import dev.aimnext.operators.finetune.run.TrainerEvent;
import dev.aimnext.operators.finetune.run.TrainingEvents;
import dev.aimnext.schemas.codec.AvroEventCodec;
import dev.aimnext.schemas.event.TrainingEvent;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Publishes a run's events to {@code aim.training.events}: Avro single-object encoding, keyed by run
 * id so one run's events stay in order in one partition. Publishing is best-effort: the run must not
 * stop because the broker is away, so an event that cannot be delivered is counted and logged.
 */
public final class TrainingEventPublisher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TrainingEventPublisher.class);

    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;
    private final AvroEventCodec<TrainingEvent> codec = AvroEventCodec.of(TrainingEvent.class);
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();

    public TrainingEventPublisher(String bootstrapServers, String topic) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "aim-finetune-driver");
        // A missing broker must not hold up reading the trainer's output for the default 60 s.
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
        this.producer = new KafkaProducer<>(props);
        this.topic = topic;
    }

    /** The record for one event: key run id, value single-object Avro, timestamp when the trainer emitted it. */
    public ProducerRecord<byte[], byte[]> record(TrainerEvent event) {
        TrainingEvent avro = TrainingEvents.toAvro(event);
        return new ProducerRecord<>(topic, null, avro.getEmittedAtMs(),
                avro.getRunId().getBytes(StandardCharsets.UTF_8), codec.encode(avro));
    }

    public void publish(TrainerEvent event) {
        try {
            producer.send(record(event), (metadata, error) -> account(error));
        } catch (RuntimeException e) {
            account(e);
        }
    }

    private void account(Exception error) {
        if (error == null) {
            sent.incrementAndGet();
            return;
        }
        long n = failed.incrementAndGet();
        if (n == 1 || n % 100 == 0) {
            LOG.warn("TrainingEvent not delivered to {} ({} so far): {}", topic, n, error.toString());
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
        producer.close(Duration.ofSeconds(10));
    }
}
