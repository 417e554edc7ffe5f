package dev.aimnext.operators.qos.sketch;

import com.datadoghq.sketch.ddsketch.DDSketch;
import com.datadoghq.sketch.ddsketch.encoding.ByteArrayInput;
import com.datadoghq.sketch.ddsketch.encoding.GrowingByteArrayOutput;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import java.io.IOException;

/**
 * Writes a {@link QosAccumulator} as a format version, eight counters and the three sketches in
 * DDSketch's own compact binary encoding (index mapping, then varint-coded non-empty bins). It is
 * several times smaller and faster than Kryo walking DDSketch's object graph (see the QoS benchmark),
 * and the format is owned by the sketch library rather than by its private field layout.
 */
public final class QosAccumulatorSerializer extends TypeSerializer<QosAccumulator> {

    private static final long serialVersionUID = 1L;
    private static final byte VERSION = 1;

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public TypeSerializer<QosAccumulator> duplicate() {
        return this; // stateless
    }

    @Override
    public QosAccumulator createInstance() {
        return new QosAccumulator(LatencySketches.DEFAULT_RELATIVE_ACCURACY);
    }

    @Override
    public QosAccumulator copy(QosAccumulator from) {
        return from.copy();
    }

    @Override
    public QosAccumulator copy(QosAccumulator from, QosAccumulator reuse) {
        return from.copy();
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(QosAccumulator a, DataOutputView out) throws IOException {
        out.writeByte(VERSION);
        out.writeLong(a.requests);
        out.writeLong(a.errors);
        out.writeLong(a.promptTokens);
        out.writeLong(a.completionTokens);
        out.writeLong(a.ttftMet);
        out.writeLong(a.tpotMet);
        out.writeLong(a.e2eMet);
        out.writeLong(a.allMet);
        GrowingByteArrayOutput buffer = GrowingByteArrayOutput.withDefaultInitialCapacity();
        writeSketch(a.ttft, buffer, out);
        writeSketch(a.tpot, buffer, out);
        writeSketch(a.e2e, buffer, out);
    }

    private static void writeSketch(DDSketch sketch, GrowingByteArrayOutput buffer, DataOutputView out)
            throws IOException {
        buffer.clear();
        sketch.encode(buffer, false);
        out.writeInt(buffer.numWrittenBytes());
        out.write(buffer.backingArray(), 0, buffer.numWrittenBytes());
    }

    @Override
    public QosAccumulator deserialize(DataInputView in) throws IOException {
        byte version = in.readByte();
        if (version != VERSION) {
            throw new IOException("unknown QosAccumulator format version " + version);
        }
        long[] counters = new long[8];
        for (int i = 0; i < counters.length; i++) {
            counters[i] = in.readLong();
        }
        QosAccumulator a = new QosAccumulator(readSketch(in), readSketch(in), readSketch(in));
        a.requests = counters[0];
        a.errors = counters[1];
        a.promptTokens = counters[2];
        a.completionTokens = counters[3];
        a.ttftMet = counters[4];
        a.tpotMet = counters[5];
        a.e2eMet = counters[6];
        a.allMet = counters[7];
        return a;
    }

    private static DDSketch readSketch(DataInputView in) throws IOException {
        byte[] bytes = new byte[in.readInt()];
        in.readFully(bytes);
        return DDSketch.decode(ByteArrayInput.wrap(bytes), LatencySketches.STORE);
    }

    @Override
    public QosAccumulator deserialize(QosAccumulator reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        out.writeByte(in.readByte());
        for (int i = 0; i < 8; i++) {
            out.writeLong(in.readLong());
        }
        for (int i = 0; i < 3; i++) {
            // Through an array: not every DataOutputView grows for write(DataInputView, int).
            byte[] sketch = new byte[in.readInt()];
            in.readFully(sketch);
            out.writeInt(sketch.length);
            out.write(sketch);
        }
    }

    @Override
    public boolean equals(Object obj) {
        return obj instanceof QosAccumulatorSerializer;
    }

    @Override
    public int hashCode() {
        return QosAccumulatorSerializer.class.hashCode();
    }

    @Override
    public TypeSerializerSnapshot<QosAccumulator> snapshotConfiguration() {
        return new Snapshot();
    }

    /** The serializer has no configuration; the format version travels in every record. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<QosAccumulator> {
        public Snapshot() {
            super(QosAccumulatorSerializer::new);
        }
    }
}
