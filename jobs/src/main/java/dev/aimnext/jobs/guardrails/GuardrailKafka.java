package dev.aimnext.jobs.guardrails;

import dev.aimnext.operators.guardrails.pii.PiiPayloadScrubber;
import dev.aimnext.schemas.event.DeadLetter;
import dev.aimnext.schemas.event.GuardrailVerdict;
import dev.aimnext.schemas.event.InferenceRequest;
import dev.aimnext.schemas.kafka.AvroRecordSerializer;
import dev.aimnext.schemas.kafka.DeadLetteringDeserializer;
import dev.aimnext.schemas.kafka.InferenceRequestDecoder;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.types.Either;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

import org.apache.avro.specific.SpecificRecord;

import java.util.Properties;

/** The Kafka source and sinks of the guardrail job, built from {@link GuardrailOptions}. */
public final class GuardrailKafka {

    /** Within the broker's default transaction.max.timeout.ms (15 min); Flink's default is 1 h. */
    static final String TRANSACTION_TIMEOUT_MS = "900000";

    private final Configuration config;

    public GuardrailKafka(Configuration config) {
        this.config = config;
    }

    public KafkaSource<Either<DeadLetter, InferenceRequest>> requestSource() {
        return requestSource(requestDeserializer());
    }

    /** Decodes requests and turns every undecodable record into a PII-scrubbed dead letter. */
    public DeadLetteringDeserializer<InferenceRequest> requestDeserializer() {
        return new DeadLetteringDeserializer<>(
                InferenceRequest.class,
                new InferenceRequestDecoder(config.get(GuardrailOptions.MAX_RECORD_BYTES)),
                PiiPayloadScrubber.withDefaultPolicy(),
                config.get(GuardrailOptions.DEADLETTER_PAYLOAD_BYTES));
    }

    /** The request source with a given deserializer; tests wrap the real one to inject faults. */
    public KafkaSource<Either<DeadLetter, InferenceRequest>> requestSource(
            KafkaRecordDeserializationSchema<Either<DeadLetter, InferenceRequest>> deserializer) {
        return KafkaSource.<Either<DeadLetter, InferenceRequest>>builder()
                .setBootstrapServers(config.get(GuardrailOptions.BOOTSTRAP_SERVERS))
                .setTopics(config.get(GuardrailOptions.REQUESTS_TOPIC))
                .setGroupId(config.get(GuardrailOptions.GROUP_ID))
                .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                .setDeserializer(deserializer)
                // Read only committed data, so an upstream exactly-once producer stays exactly-once.
                .setProperty("isolation.level", "read_committed")
                .build();
    }

    public KafkaSink<InferenceRequest> allowedSink() {
        return sink(
                "allowed",
                new AvroRecordSerializer<>(
                        config.get(GuardrailOptions.ALLOWED_TOPIC),
                        InferenceRequest.class,
                        InferenceRequest::getRequestId));
    }

    public KafkaSink<GuardrailVerdict> verdictSink() {
        return sink(
                "verdicts",
                new AvroRecordSerializer<>(
                        config.get(GuardrailOptions.VERDICTS_TOPIC),
                        GuardrailVerdict.class,
                        GuardrailVerdict::getRequestId));
    }

    public KafkaSink<DeadLetter> deadLetterSink() {
        return sink(
                "deadletter",
                new AvroRecordSerializer<>(
                        config.get(GuardrailOptions.DEADLETTER_TOPIC), DeadLetter.class, null));
    }

    private <T extends SpecificRecord> KafkaSink<T> sink(
            String name, KafkaRecordSerializationSchema<T> serializer) {
        DeliveryGuarantee guarantee = config.get(GuardrailOptions.DELIVERY_GUARANTEE).guarantee();
        Properties producer = new Properties();
        producer.setProperty("transaction.timeout.ms", TRANSACTION_TIMEOUT_MS);
        producer.setProperty("linger.ms", String.valueOf(config.get(GuardrailOptions.PRODUCER_LINGER).toMillis()));
        // Forwarded requests may be as large as accepted input records.
        producer.setProperty(
                "max.request.size",
                String.valueOf(Math.max(1 << 20, config.get(GuardrailOptions.MAX_RECORD_BYTES) * 2)));
        return KafkaSink.<T>builder()
                .setBootstrapServers(config.get(GuardrailOptions.BOOTSTRAP_SERVERS))
                .setRecordSerializer(serializer)
                .setDeliveryGuarantee(guarantee)
                // One prefix per sink: transactional ids must not collide between the three sinks.
                .setTransactionalIdPrefix(
                        config.get(GuardrailOptions.TRANSACTIONAL_ID_PREFIX) + "-" + name)
                .setKafkaProducerConfig(producer)
                .build();
    }
}
