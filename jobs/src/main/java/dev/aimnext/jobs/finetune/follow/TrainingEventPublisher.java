package dev.aimnext.jobs.finetune.follow;

import dev.aimnext.jobs.kafka.BestEffortProducer;
import dev.aimnext.operators.finetune.run.TrainerEvent;
import dev.aimnext.operators.finetune.run.TrainingEvents;
import dev.aimnext.schemas.codec.AvroEventCodec;
import dev.aimnext.schemas.event.TrainingEvent;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Publishes a run's events to {@code aim.training.events}: Avro single-object encoding, keyed by run
 * id so one run's events stay in order in one partition. Publishing is best-effort: the run must not
 * stop because the broker is away, so an event that cannot be delivered is counted and logged.
 */
public final class TrainingEventPublisher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TrainingEventPublisher.class);

    private final BestEffortProducer producer;
    private final String topic;
    private final AvroEventCodec<TrainingEvent> codec = AvroEventCodec.of(TrainingEvent.class);

    public TrainingEventPublisher(String bootstrapServers, String topic) {
        // A missing broker must not hold up reading the trainer's output for the default 60 s.
        this.producer = new BestEffortProducer(
                BestEffortProducer.config(bootstrapServers, "aim-finetune-driver", Duration.ofSeconds(5)),
                "TrainingEvent", LOG);
        this.topic = topic;
    }

    /** The record for one event: key run id, value single-object Avro, timestamp when the trainer emitted it. */
    public ProducerRecord<byte[], byte[]> record(TrainerEvent event) {
        TrainingEvent avro = TrainingEvents.toAvro(event);
        return new ProducerRecord<>(topic, null, avro.getEmittedAtMs(),
                avro.getRunId().getBytes(StandardCharsets.UTF_8), codec.encode(avro));
    }

    public void publish(TrainerEvent event) {
        producer.send(record(event));
    }

    public long sent() {
        return producer.sent();
    }

    public long failed() {
        return producer.failed();
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
