package dev.aimnext.operators.dataset.read;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Base64;
import java.util.UUID;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

/**
 * Turns a Parquet record into the JSON a JSONL row with the same data would parse to (decimals aside, which stay exact), so the rest
 * of dataset prep does not care where a row came from: structs become objects, lists (the standard
 * three-level layout and the legacy two-level ones) and other repeated fields become arrays, maps
 * become objects keyed by the key's text, strings become text and numbers numbers.
 *
 * <p>A null or absent field of a struct is left out rather than written as {@code null}: Arrow
 * gives every struct of a column the union of the keys of all rows, so a message without a
 * {@code name} would otherwise come back with {@code "name": null}. Nulls inside lists stay, so
 * positions are kept. Binary without a string annotation is text when it is valid UTF-8 (older
 * writers did not annotate strings) and base64 otherwise; decimals are exact, dates ISO-8601,
 * UUIDs in their usual form, legacy INT96 timestamps ISO-8601 instants, and other integer types
 * (timestamps, times) their raw numbers.
 */
final class ParquetJson {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** The Julian day number of 1970-01-01. */
    private static final long JULIAN_DAY_OF_EPOCH = 2_440_588L;

    private ParquetJson() {
    }

    /** The fields of a record as one JSON object. */
    static ObjectNode record(Group record) {
        return struct(record, record.getType());
    }

    private static ObjectNode struct(Group group, GroupType type) {
        ObjectNode object = NODES.objectNode();
        for (int i = 0; i < type.getFieldCount(); i++) {
            Type field = type.getType(i);
            int count = group.getFieldRepetitionCount(i);
            if (field.isRepetition(Type.Repetition.REPEATED)) {
                ArrayNode values = object.putArray(field.getName());
                for (int j = 0; j < count; j++) {
                    values.add(value(group, i, j, field));
                }
            } else if (count > 0) {
                JsonNode value = value(group, i, 0, field);
                if (!value.isNull()) {
                    object.set(field.getName(), value);
                }
            }
        }
        return object;
    }

    private static JsonNode value(Group group, int field, int index, Type type) {
        if (type.isPrimitive()) {
            return primitive(group, field, index, type.asPrimitiveType());
        }
        Group child = group.getGroup(field, index);
        GroupType childType = type.asGroupType();
        LogicalTypeAnnotation logical = childType.getLogicalTypeAnnotation();
        if (logical instanceof LogicalTypeAnnotation.ListLogicalTypeAnnotation) {
            return list(child, childType);
        }
        if (logical instanceof LogicalTypeAnnotation.MapLogicalTypeAnnotation
                || logical instanceof LogicalTypeAnnotation.MapKeyValueTypeAnnotation) {
            return map(child, childType);
        }
        return struct(child, childType);
    }

    /**
     * A LIST group holds one repeated field. By the Parquet spec's backward-compatibility rules that
     * field is itself the element when it is primitive, has several fields, or is named
     * {@code array} or {@code <list>_tuple}; otherwise it is the standard wrapper around one element.
     */
    private static ArrayNode list(Group list, GroupType listType) {
        ArrayNode array = NODES.arrayNode();
        Type repeated = listType.getType(0);
        int count = list.getFieldRepetitionCount(0);
        boolean repeatedIsElement = repeated.isPrimitive()
                || repeated.asGroupType().getFieldCount() != 1
                || repeated.getName().equals("array")
                || repeated.getName().equals(listType.getName() + "_tuple");
        for (int j = 0; j < count; j++) {
            if (repeatedIsElement) {
                array.add(value(list, 0, j, repeated));
            } else {
                Group wrapper = list.getGroup(0, j);
                Type element = repeated.asGroupType().getType(0);
                array.add(wrapper.getFieldRepetitionCount(0) == 0 ? NODES.nullNode() : value(wrapper, 0, 0, element));
            }
        }
        return array;
    }

    private static ObjectNode map(Group map, GroupType mapType) {
        ObjectNode object = NODES.objectNode();
        GroupType keyValue = mapType.getType(0).asGroupType();
        for (int j = 0; j < map.getFieldRepetitionCount(0); j++) {
            Group entry = map.getGroup(0, j);
            String key = value(entry, 0, 0, keyValue.getType(0)).asText();
            boolean hasValue = keyValue.getFieldCount() > 1 && entry.getFieldRepetitionCount(1) > 0;
            object.set(key, hasValue ? value(entry, 1, 0, keyValue.getType(1)) : NODES.nullNode());
        }
        return object;
    }

    private static JsonNode primitive(Group group, int field, int index, PrimitiveType type) {
        LogicalTypeAnnotation logical = type.getLogicalTypeAnnotation();
        switch (type.getPrimitiveTypeName()) {
            case BOOLEAN:
                return NODES.booleanNode(group.getBoolean(field, index));
            case FLOAT:
                return NODES.numberNode(group.getFloat(field, index));
            case DOUBLE:
                return NODES.numberNode(group.getDouble(field, index));
            case INT32: {
                int v = group.getInteger(field, index);
                if (logical instanceof LogicalTypeAnnotation.DecimalLogicalTypeAnnotation d) {
                    return NODES.numberNode(BigDecimal.valueOf(v, d.getScale()));
                }
                if (logical instanceof LogicalTypeAnnotation.DateLogicalTypeAnnotation) {
                    return NODES.textNode(LocalDate.ofEpochDay(v).toString());
                }
                if (logical instanceof LogicalTypeAnnotation.IntLogicalTypeAnnotation i && !i.isSigned()) {
                    return NODES.numberNode(Integer.toUnsignedLong(v));
                }
                return NODES.numberNode(v);
            }
            case INT64: {
                long v = group.getLong(field, index);
                if (logical instanceof LogicalTypeAnnotation.DecimalLogicalTypeAnnotation d) {
                    return NODES.numberNode(BigDecimal.valueOf(v, d.getScale()));
                }
                if (logical instanceof LogicalTypeAnnotation.IntLogicalTypeAnnotation i && !i.isSigned() && v < 0) {
                    return NODES.numberNode(new BigInteger(Long.toUnsignedString(v)));
                }
                return NODES.numberNode(v);
            }
            case INT96:
                return NODES.textNode(int96Timestamp(group.getInt96(field, index)));
            default:
                // BINARY and FIXED_LEN_BYTE_ARRAY.
                return binary(group.getBinary(field, index), logical);
        }
    }

    /** Impala's and Spark's legacy timestamp: nanoseconds of the day, then the Julian day, little-endian. */
    private static String int96Timestamp(Binary value) {
        ByteBuffer bytes = value.toByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        long nanosOfDay = bytes.getLong();
        long epochDay = bytes.getInt() - JULIAN_DAY_OF_EPOCH;
        return Instant.ofEpochSecond(epochDay * 86_400L, nanosOfDay).toString();
    }

    private static JsonNode binary(Binary value, LogicalTypeAnnotation logical) {
        if (logical instanceof LogicalTypeAnnotation.DecimalLogicalTypeAnnotation d) {
            return NODES.numberNode(new BigDecimal(new BigInteger(value.getBytes()), d.getScale()));
        }
        if (logical instanceof LogicalTypeAnnotation.UUIDLogicalTypeAnnotation) {
            ByteBuffer bytes = value.toByteBuffer();
            return NODES.textNode(new UUID(bytes.getLong(), bytes.getLong()).toString());
        }
        if (logical instanceof LogicalTypeAnnotation.JsonLogicalTypeAnnotation) {
            try {
                return MAPPER.readTree(value.toStringUsingUTF8());
            } catch (IOException e) {
                return NODES.textNode(value.toStringUsingUTF8());
            }
        }
        if (logical instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation
                || logical instanceof LogicalTypeAnnotation.EnumLogicalTypeAnnotation) {
            return NODES.textNode(value.toStringUsingUTF8());
        }
        byte[] bytes = value.getBytes();
        try {
            return NODES.textNode(StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString());
        } catch (CharacterCodingException e) {
            return NODES.textNode(Base64.getEncoder().encodeToString(bytes));
        }
    }
}
