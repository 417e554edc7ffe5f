package dev.aimnext.schemas.kafka;

import dev.aimnext.schemas.codec.EventDecodingException;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.io.Serializable;

/** Turns one Kafka record into one validated event, or says why it cannot. */
@FunctionalInterface
public interface RecordDecoder<T> extends Serializable {

    T decode(ConsumerRecord<byte[], byte[]> record) throws EventDecodingException;
}
