package dev.aimnext.schemas.codec;

import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.message.BadHeaderException;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.MissingSchemaException;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;

/**
 * Encodes and decodes one event type with Avro single-object encoding: the marker {@code C3 01},
 * the 8-byte CRC-64-AVRO fingerprint of the writer schema, then the binary body. No registry is
 * involved: the reader knows the current schema and every older one from {@link SchemaHistory},
 * and resolves an older writer's data to the current class by the fingerprint.
 *
 * <p>Instances are serializable so Flink functions can carry them; the Avro encoder and decoder are
 * rebuilt lazily after deserialization. Instances are not thread-safe.
 */
public final class AvroEventCodec<T extends SpecificRecord> implements Serializable {

    private static final long serialVersionUID = 1L;

    /** First two bytes of every single-object encoded record. */
    public static final byte MARKER_0 = (byte) 0xC3;

    public static final byte MARKER_1 = (byte) 0x01;

    private final Class<T> type;
    private transient BinaryMessageEncoder<T> encoder;
    private transient BinaryMessageDecoder<T> decoder;

    private AvroEventCodec(Class<T> type) {
        this.type = type;
    }

    public static <T extends SpecificRecord> AvroEventCodec<T> of(Class<T> type) {
        return new AvroEventCodec<>(type);
    }

    public Class<T> type() {
        return type;
    }

    /** True when the bytes start with the single-object marker. */
    public static boolean looksLikeSingleObject(byte[] bytes) {
        return bytes != null && bytes.length >= 2 && bytes[0] == MARKER_0 && bytes[1] == MARKER_1;
    }

    public byte[] encode(T event) {
        try {
            ByteBuffer buffer = encoder().encode(event);
            byte[] out = new byte[buffer.remaining()];
            buffer.get(out);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode " + type.getSimpleName(), e);
        }
    }

    public T decode(byte[] bytes) throws EventDecodingException {
        if (!looksLikeSingleObject(bytes)) {
            throw new EventDecodingException(
                    "NOT_AVRO", "not Avro single-object encoding: the C3 01 marker is missing");
        }
        if (bytes.length < 10) {
            throw new EventDecodingException(
                    "MALFORMED_AVRO", "Avro header is " + bytes.length + " bytes, needs 10");
        }
        try {
            return decoder().decode(bytes);
        } catch (MissingSchemaException e) {
            throw new EventDecodingException(
                    "UNKNOWN_SCHEMA",
                    String.format(
                            "writer schema fingerprint %s is not a known version of %s",
                            fingerprintHex(bytes), type.getSimpleName()));
        } catch (BadHeaderException e) {
            throw new EventDecodingException("MALFORMED_AVRO", "bad Avro single-object header");
        } catch (IOException | AvroRuntimeException | IndexOutOfBoundsException
                | NegativeArraySizeException | ClassCastException e) {
            // Avro reports truncated or garbage bodies through several exception types; none of
            // their messages quote the payload, but we keep only the type to be sure.
            throw new EventDecodingException(
                    "MALFORMED_AVRO",
                    "Avro body does not match writer schema "
                            + fingerprintHex(bytes)
                            + " of "
                            + type.getSimpleName()
                            + " ("
                            + e.getClass().getSimpleName()
                            + ")");
        }
    }

    /** The writer fingerprint of this codec's current schema, as 16 hex digits. */
    public String currentFingerprintHex() {
        long fp = SchemaNormalization.parsingFingerprint64(schema());
        return String.format("%016x", Long.reverseBytes(fp));
    }

    private static String fingerprintHex(byte[] bytes) {
        StringBuilder hex = new StringBuilder(16);
        for (int i = 2; i < 10 && i < bytes.length; i++) {
            hex.append(String.format("%02x", bytes[i]));
        }
        return hex.toString();
    }

    private Schema schema() {
        return SpecificData.get().getSchema(type);
    }

    private BinaryMessageEncoder<T> encoder() {
        if (encoder == null) {
            encoder = new BinaryMessageEncoder<>(SpecificData.getForClass(type), schema());
        }
        return encoder;
    }

    private BinaryMessageDecoder<T> decoder() {
        if (decoder == null) {
            Schema current = schema();
            decoder = new BinaryMessageDecoder<>(SpecificData.getForClass(type), current);
            for (Schema older : SchemaHistory.olderVersionsOf(current.getName())) {
                decoder.addSchema(older);
            }
        }
        return decoder;
    }
}
