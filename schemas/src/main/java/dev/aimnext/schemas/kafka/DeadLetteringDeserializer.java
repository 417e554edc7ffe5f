package dev.aimnext.schemas.kafka;

import dev.aimnext.schemas.codec.EventDecodingException;
import dev.aimnext.schemas.event.DeadLetter;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.EitherTypeInfo;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.types.Either;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import org.apache.avro.specific.SpecificRecordBase;

/**
 * Wraps a {@link RecordDecoder} so that every Kafka record yields exactly one element: the event
 * ({@code Right}) or a {@link DeadLetter} ({@code Left}) with the reason, the source coordinates and
 * a truncated, scrubbed copy of the bytes. Nothing is dropped silently and no record can fail the
 * job: even an unexpected runtime exception from the decoder becomes a dead letter.
 */
public final class DeadLetteringDeserializer<T extends SpecificRecordBase>
        implements KafkaRecordDeserializationSchema<Either<DeadLetter, T>> {

    private static final long serialVersionUID = 1L;

    private final Class<T> eventType;
    private final RecordDecoder<T> decoder;
    private final PayloadScrubber scrubber;
    private final int maxPayloadBytes;

    public DeadLetteringDeserializer(
            Class<T> eventType,
            RecordDecoder<T> decoder,
            PayloadScrubber scrubber,
            int maxPayloadBytes) {
        this.eventType = eventType;
        this.decoder = decoder;
        this.scrubber = scrubber;
        this.maxPayloadBytes = maxPayloadBytes;
    }

    @Override
    public void deserialize(
            ConsumerRecord<byte[], byte[]> record, Collector<Either<DeadLetter, T>> out) {
        out.collect(decodeOrDeadLetter(record));
    }

    /** Visible for tests and for tools that decode without a Flink collector. */
    public Either<DeadLetter, T> decodeOrDeadLetter(ConsumerRecord<byte[], byte[]> record) {
        try {
            return Either.Right(decoder.decode(record));
        } catch (EventDecodingException e) {
            return Either.Left(deadLetter(record, e.reasonCode(), e.getMessage()));
        } catch (RuntimeException | StackOverflowError e) {
            // A decoder bug must not restart the job; the class name is safe to publish, the
            // message may not be.
            return Either.Left(
                    deadLetter(
                            record,
                            "DECODER_ERROR",
                            "decoder failed with " + e.getClass().getSimpleName()));
        }
    }

    private DeadLetter deadLetter(ConsumerRecord<byte[], byte[]> record, String code, String why) {
        return DeadLetters.of(
                code,
                why,
                record.topic(),
                record.partition(),
                record.offset(),
                record.value(),
                maxPayloadBytes,
                scrubber);
    }

    @Override
    public TypeInformation<Either<DeadLetter, T>> getProducedType() {
        return new EitherTypeInfo<>(new AvroTypeInfo<>(DeadLetter.class), new AvroTypeInfo<>(eventType));
    }
}
