package dev.aimnext.operators.guardrails.engine;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes (and minimally reads) ONNX models in protobuf wire format, so tests can build small graphs
 * by hand without an onnx library. Field numbers are those of {@code onnx.proto}: ModelProto
 * (ir_version 1, graph 7, opset_import 8), GraphProto (node 1, name 2, initializer 5, input 11,
 * output 12), NodeProto (input 1, output 2, name 3, op_type 4, attribute 5), AttributeProto
 * (name 1, f 2, i 3, ints 8, type 20), TensorProto (dims 1, data_type 2, name 8, raw_data 9).
 *
 * <p>Protobuf merges a repeated occurrence of a message field into the earlier one, and
 * concatenates repeated fields. Appending a second {@code graph} (field 7) to a model's bytes
 * therefore adds nodes, initializers and outputs to its graph: {@link #appendToGraph}.
 */
public final class OnnxProto {

    public static final int FLOAT = 1;
    public static final int INT64 = 7;

    private static final int ATTR_FLOAT = 1;
    private static final int ATTR_INT = 2;
    private static final int ATTR_INTS = 7;

    private OnnxProto() {}

    /** An empty message to fill. */
    public static Message message() {
        return new Message();
    }

    /** A ModelProto of one graph and the default-domain opset {@code opset}. */
    public static byte[] model(int irVersion, int opset, Message graph) {
        return new Message()
                .varint(1, irVersion)
                .bytes(8, new Message().str(1, "").varint(2, opset))
                .bytes(7, graph)
                .toBytes();
    }

    /** {@code model} with {@code extra} merged into its graph (extra holds only repeated graph fields). */
    public static byte[] appendToGraph(byte[] model, Message extra) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(model);
        out.writeBytes(new Message().bytes(7, extra).toBytes());
        return out.toByteArray();
    }

    /** A node named {@code op_output}. */
    public static Message node(String op, String[] inputs, String output, Message... attributes) {
        return node(op, op + "_" + output, inputs, new String[] {output}, attributes);
    }

    public static Message node(String op, String name, String[] inputs, String[] outputs, Message... attributes) {
        Message n = new Message();
        for (String in : inputs) {
            n.str(1, in);
        }
        for (String out : outputs) {
            n.str(2, out);
        }
        n.str(3, name).str(4, op);
        for (Message a : attributes) {
            n.bytes(5, a);
        }
        return n;
    }

    public static Message intAttr(String name, long value) {
        return new Message().str(1, name).varint(3, value).varint(20, ATTR_INT);
    }

    public static Message intsAttr(String name, long... values) {
        Message a = new Message().str(1, name);
        for (long v : values) {
            a.varint(8, v);
        }
        return a.varint(20, ATTR_INTS);
    }

    public static Message floatAttr(String name, float value) {
        return new Message().str(1, name).fixed32(2, Float.floatToIntBits(value)).varint(20, ATTR_FLOAT);
    }

    /** A float initializer; {@code values} in row-major order. */
    public static Message floatTensor(String name, long[] dims, float... values) {
        ByteBuffer raw = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            raw.putFloat(v);
        }
        return tensor(name, dims, FLOAT, raw.array());
    }

    /** An int64 initializer; an empty {@code dims} makes a scalar. */
    public static Message int64Tensor(String name, long[] dims, long... values) {
        ByteBuffer raw = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
            raw.putLong(v);
        }
        return tensor(name, dims, INT64, raw.array());
    }

    private static Message tensor(String name, long[] dims, int type, byte[] raw) {
        Message t = new Message();
        for (long d : dims) {
            t.varint(1, d);
        }
        return t.varint(2, type).str(8, name).raw(9, raw);
    }

    /** A graph input or output; a dimension that starts with a digit is fixed, any other is symbolic. */
    public static Message valueInfo(String name, int elemType, String... dims) {
        Message shape = new Message();
        for (String d : dims) {
            Message dim = Character.isDigit(d.charAt(0))
                    ? new Message().varint(1, Long.parseLong(d))
                    : new Message().str(2, d);
            shape.bytes(1, dim);
        }
        Message tensorType = new Message().varint(1, elemType).bytes(2, shape);
        return new Message().str(1, name).bytes(2, new Message().bytes(1, tensorType));
    }

    /** The default-domain ("" or "ai.onnx") opset version a model imports; -1 when it imports none. */
    public static long defaultOpset(byte[] model) {
        for (Field f : fields(model)) {
            if (f.number() == 8) {
                String domain = "";
                long version = -1;
                for (Field g : fields(f.bytes())) {
                    if (g.number() == 1) {
                        domain = new String(g.bytes(), StandardCharsets.UTF_8);
                    } else if (g.number() == 2) {
                        version = g.value();
                    }
                }
                if (domain.isEmpty() || domain.equals("ai.onnx")) {
                    return version;
                }
            }
        }
        return -1;
    }

    /** Names of the graph outputs of a model. */
    public static List<String> graphOutputs(byte[] model) {
        List<String> names = new ArrayList<>();
        for (Field f : fields(model)) {
            if (f.number() != 7) {
                continue;
            }
            for (Field g : fields(f.bytes())) {
                if (g.number() == 12) {
                    for (Field v : fields(g.bytes())) {
                        if (v.number() == 1) {
                            names.add(new String(v.bytes(), StandardCharsets.UTF_8));
                        }
                    }
                }
            }
        }
        return names;
    }

    /** One wire field: a varint value, or the bytes of a length-delimited one. */
    public record Field(int number, long value, byte[] bytes) {}

    /** The top-level fields of a message. */
    public static List<Field> fields(byte[] message) {
        List<Field> out = new ArrayList<>();
        int[] pos = {0};
        while (pos[0] < message.length) {
            long key = readVarint(message, pos);
            int number = (int) (key >>> 3);
            int wire = (int) (key & 7);
            switch (wire) {
                case 0 -> out.add(new Field(number, readVarint(message, pos), null));
                case 1 -> pos[0] += 8;
                case 2 -> {
                    int len = (int) readVarint(message, pos);
                    byte[] b = new byte[len];
                    System.arraycopy(message, pos[0], b, 0, len);
                    pos[0] += len;
                    out.add(new Field(number, 0, b));
                }
                case 5 -> pos[0] += 4;
                default -> throw new IllegalArgumentException("unsupported wire type " + wire + " at " + pos[0]);
            }
        }
        return out;
    }

    private static long readVarint(byte[] b, int[] pos) {
        long result = 0;
        for (int shift = 0; ; shift += 7) {
            byte c = b[pos[0]++];
            result |= (long) (c & 0x7F) << shift;
            if ((c & 0x80) == 0) {
                return result;
            }
        }
    }

    /** A protobuf message under construction. */
    public static final class Message {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        public Message varint(int field, long value) {
            writeVarint((long) field << 3);
            writeVarint(value);
            return this;
        }

        public Message fixed32(int field, int value) {
            writeVarint(((long) field << 3) | 5);
            for (int i = 0; i < 4; i++) {
                out.write((value >>> (8 * i)) & 0xFF);
            }
            return this;
        }

        public Message str(int field, String value) {
            return raw(field, value.getBytes(StandardCharsets.UTF_8));
        }

        public Message bytes(int field, Message message) {
            return raw(field, message.toBytes());
        }

        public Message raw(int field, byte[] value) {
            writeVarint(((long) field << 3) | 2);
            writeVarint(value.length);
            out.writeBytes(value);
            return this;
        }

        public byte[] toBytes() {
            return out.toByteArray();
        }

        private void writeVarint(long v) {
            while ((v & ~0x7FL) != 0) {
                out.write((int) ((v & 0x7F) | 0x80));
                v >>>= 7;
            }
            out.write((int) v);
        }
    }
}
