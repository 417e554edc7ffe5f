package dev.aimnext.jobs.qos;

import dev.aimnext.schemas.event.DeadLetter;
import dev.aimnext.schemas.event.GpuSample;
import dev.aimnext.schemas.event.PartitionPlan;
import dev.aimnext.schemas.event.QosWindow;
import dev.aimnext.schemas.event.RequestTelemetry;
import dev.aimnext.schemas.kafka.AvroRecordSerializer;
import dev.aimnext.schemas.kafka.DeadLetteringDeserializer;
import dev.aimnext.schemas.kafka.PayloadScrubber;
import dev.aimnext.schemas.kafka.TelemetryRecordDecoder;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.types.Either;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * The Kafka sources and sinks of the QoS job, built from {@link QosOptions}. Output is at-least-once:
 * a QosWindow is identified by (model, partition, window kind, window end), so a consumer that sees
 * one twice after a restart can keep the last.
 */
public final class QosKafka {

    private final Configuration config;

    public QosKafka(Configuration config) {
        this.config = config;
    }

    public KafkaSource<Either<DeadLetter, RequestTelemetry>> requestSource() {
        return source(config.get(QosOptions.TELEMETRY_REQUESTS_TOPIC), requestDeserializer());
    }

    public KafkaSource<Either<DeadLetter, GpuSample>> gpuSource() {
        return source(config.get(QosOptions.TELEMETRY_GPU_TOPIC), gpuDeserializer());
    }

    /**
     * Strict decoding and range checks; every rejected record becomes a dead letter. Telemetry has no
     * free text, so payloads are kept unscrubbed (and say so).
     */
    public DeadLetteringDeserializer<RequestTelemetry> requestDeserializer() {
        return deadLettering(TelemetryRecordDecoder.requests(config.get(QosOptions.MAX_RECORD_BYTES)));
    }

    public DeadLetteringDeserializer<GpuSample> gpuDeserializer() {
        return deadLettering(TelemetryRecordDecoder.gpuSamples(config.get(QosOptions.MAX_RECORD_BYTES)));
    }

    private <T extends SpecificRecordBase> DeadLetteringDeserializer<T> deadLettering(TelemetryRecordDecoder<T> decoder) {
        return new DeadLetteringDeserializer<>(decoder.type(), decoder, PayloadScrubber.NONE,
                config.get(QosOptions.DEADLETTER_PAYLOAD_BYTES));
    }

    private <T extends SpecificRecordBase> KafkaSource<Either<DeadLetter, T>> source(String topic,
            DeadLetteringDeserializer<T> deserializer) {
        return KafkaSource.<Either<DeadLetter, T>>builder()
                .setBootstrapServers(config.get(QosOptions.BOOTSTRAP_SERVERS))
                .setTopics(topic)
                .setGroupId(config.get(QosOptions.GROUP_ID))
                .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                .setDeserializer(deserializer)
                .setProperty("isolation.level", "read_committed")
                .build();
    }

    public KafkaSink<QosWindow> qosSink() {
        return sink(new AvroRecordSerializer<>(config.get(QosOptions.QOS_METRICS_TOPIC), QosWindow.class,
                QosWindow::getModel));
    }

    /** The rebalancer's plans, keyed by GPU id as the topic table says. */
    public KafkaSink<PartitionPlan> planSink() {
        return sink(new AvroRecordSerializer<>(config.get(QosOptions.PARTITION_PLANS_TOPIC), PartitionPlan.class,
                PartitionPlan::getGpuId));
    }

    public KafkaSink<DeadLetter> deadLetterSink() {
        return sink(new AvroRecordSerializer<>(config.get(QosOptions.DEADLETTER_TOPIC), DeadLetter.class, null));
    }

    private <T extends SpecificRecord> KafkaSink<T> sink(KafkaRecordSerializationSchema<T> serializer) {
        return KafkaSink.<T>builder()
                .setBootstrapServers(config.get(QosOptions.BOOTSTRAP_SERVERS))
                .setRecordSerializer(serializer)
                .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                .build();
    }
}
