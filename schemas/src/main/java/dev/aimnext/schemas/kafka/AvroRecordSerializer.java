package dev.aimnext.schemas.kafka;

import dev.aimnext.schemas.codec.AvroEventCodec;

import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.util.function.SerializableFunction;
import org.apache.kafka.clients.producer.ProducerRecord;

import org.apache.avro.specific.SpecificRecord;

import java.nio.charset.StandardCharsets;

/**
 * Writes events to one topic as Avro single-object encoded values, keyed as the topic table says
 * (request id, tenant, model, ...). A null key function leaves records unkeyed.
 */
public final class AvroRecordSerializer<T extends SpecificRecord>
        implements KafkaRecordSerializationSchema<T> {

    private static final long serialVersionUID = 1L;

    private final String topic;
    private final AvroEventCodec<T> codec;
    private final SerializableFunction<T, String> key;

    public AvroRecordSerializer(
            String topic, Class<T> type, SerializableFunction<T, String> key) {
        this.topic = topic;
        this.codec = AvroEventCodec.of(type);
        this.key = key;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
            T element, KafkaSinkContext context, Long timestamp) {
        byte[] keyBytes =
                key == null ? null : key.apply(element).getBytes(StandardCharsets.UTF_8);
        return new ProducerRecord<>(topic, null, timestamp, keyBytes, codec.encode(element));
    }
}
