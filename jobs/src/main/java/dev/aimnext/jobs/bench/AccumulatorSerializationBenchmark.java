package dev.aimnext.jobs.bench;

import dev.aimnext.operators.qos.sketch.QosAccumulator;
import dev.aimnext.operators.qos.sketch.QosAccumulatorSerializer;
import dev.aimnext.operators.qos.slo.SloCatalog;

import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.runtime.kryo.KryoSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

import java.io.PrintStream;
import java.util.Locale;

/**
 * What writing and reading one pane accumulator costs with {@link QosAccumulatorSerializer} and with
 * Flink's Kryo fallback, which would walk DDSketch's objects. It decides which one window state,
 * checkpoints and the pane records use. Single-threaded, after a warm-up.
 */
final class AccumulatorSerializationBenchmark {

    private final PrintStream out;

    AccumulatorSerializationBenchmark(PrintStream out) {
        this.out = out;
    }

    void run() throws Exception {
        SyntheticTelemetry workload = new SyntheticTelemetry(3, SyntheticTelemetry.defaultPlacements(), 0, 0.5, 0);
        SloCatalog slos = SyntheticTelemetry.defaultSlos();
        QosAccumulator acc = new QosAccumulator(0.005);
        for (long i = 0; i < 20_000; i++) { // a busy 10 s pane of the six keys together
            acc.add(workload.event(i), slos.lookup(workload.event(i).getModel()));
        }
        out.println("| serializer | bytes per accumulator | µs per write + read |");
        out.println("|---|---|---|");
        row("QosAccumulatorSerializer (DDSketch encoding)", new QosAccumulatorSerializer(), acc);
        row("Kryo (Flink's generic fallback)", new KryoSerializer<>(QosAccumulator.class, new SerializerConfigImpl()), acc);
        out.println();
    }

    private void row(String name, TypeSerializer<QosAccumulator> serializer, QosAccumulator acc) throws Exception {
        DataOutputSerializer buffer = new DataOutputSerializer(64 * 1024);
        int iterations = 20_000;
        long checksum = 0;
        long start = 0;
        for (int i = 0; i < 2 * iterations; i++) {
            if (i == iterations) {
                start = System.nanoTime(); // the first half warms up the JIT
            }
            buffer.clear();
            serializer.serialize(acc, buffer);
            QosAccumulator back = serializer.deserialize(new DataInputDeserializer(buffer.getSharedBuffer(), 0,
                    buffer.length()));
            checksum += back.requests();
        }
        double micros = (System.nanoTime() - start) / 1_000.0 / iterations;
        if (checksum != 2L * iterations * acc.requests()) {
            throw new IllegalStateException(name + " did not round-trip");
        }
        out.printf(Locale.ROOT, "| %s | %,d | %.1f |%n", name, buffer.length(), micros);
    }
}
