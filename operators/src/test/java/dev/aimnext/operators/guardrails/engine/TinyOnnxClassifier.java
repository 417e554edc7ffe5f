package dev.aimnext.operators.guardrails.engine;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Writes a tiny ONNX sequence classifier by hand (protobuf wire format, no onnx library):
 * {@code logits = Gemm(ReduceSum(Cast(attention_mask), axis 1), W[1,2], b[2])}, so each logit is
 * an affine function of the window's token count. Small enough to check the engine's
 * sequence-classification path against arithmetic done in the test.
 */
final class TinyOnnxClassifier {

    private static final int FLOAT = 1;
    private static final int INT64 = 7;

    private TinyOnnxClassifier() {}

    static byte[] model(float w0, float w1, float b0, float b1) {
        Proto graph = new Proto()
                .bytes(1, node("Cast", new String[] {"attention_mask"}, "mask_f", new Proto().str(1, "to").varint(3, FLOAT).varint(20, 2)))
                .bytes(1, node("ReduceSum", new String[] {"mask_f"}, "count",
                        new Proto().str(1, "axes").varint(8, 1).varint(20, 7),
                        new Proto().str(1, "keepdims").varint(3, 1).varint(20, 2)))
                .bytes(1, node("Gemm", new String[] {"count", "W", "b"}, "logits"))
                .str(2, "tiny-classifier")
                .bytes(5, tensor("W", new long[] {1, 2}, w0, w1))
                .bytes(5, tensor("b", new long[] {2}, b0, b1))
                .bytes(11, valueInfo("input_ids", INT64, "batch", "seq"))
                .bytes(11, valueInfo("attention_mask", INT64, "batch", "seq"))
                .bytes(12, valueInfo("logits", FLOAT, "batch", "2"));
        return new Proto()
                .varint(1, 7)
                .bytes(8, new Proto().str(1, "").varint(2, 11))
                .bytes(7, graph)
                .toBytes();
    }

    private static Proto node(String op, String[] inputs, String output, Proto... attributes) {
        Proto n = new Proto();
        for (String in : inputs) {
            n.str(1, in);
        }
        n.str(2, output).str(3, op + "_" + output).str(4, op);
        for (Proto a : attributes) {
            n.bytes(5, a);
        }
        return n;
    }

    private static Proto tensor(String name, long[] dims, float... values) {
        Proto t = new Proto();
        for (long d : dims) {
            t.varint(1, d);
        }
        ByteBuffer raw = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            raw.putFloat(v);
        }
        return t.varint(2, FLOAT).str(8, name).raw(9, raw.array());
    }

    private static Proto valueInfo(String name, int elemType, String... dims) {
        Proto shape = new Proto();
        for (String d : dims) {
            Proto dim = Character.isDigit(d.charAt(0)) ? new Proto().varint(1, Long.parseLong(d)) : new Proto().str(2, d);
            shape.bytes(1, dim);
        }
        Proto tensorType = new Proto().varint(1, elemType).bytes(2, shape);
        return new Proto().str(1, name).bytes(2, new Proto().bytes(1, tensorType));
    }

    /** A protobuf message under construction. */
    private static final class Proto {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Proto varint(int field, long value) {
            writeVarint(((long) field << 3));
            writeVarint(value);
            return this;
        }

        Proto str(int field, String value) {
            return raw(field, value.getBytes(StandardCharsets.UTF_8));
        }

        Proto bytes(int field, Proto message) {
            return raw(field, message.toBytes());
        }

        Proto raw(int field, byte[] value) {
            writeVarint(((long) field << 3) | 2);
            writeVarint(value.length);
            out.writeBytes(value);
            return this;
        }

        byte[] toBytes() {
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
