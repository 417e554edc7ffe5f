package dev.aimnext.jobs.bench;

import dev.aimnext.jobs.qos.QosJob;
import dev.aimnext.jobs.qos.QosOptions;
import dev.aimnext.operators.deadletter.DeadLetterSplitter;
import dev.aimnext.operators.qos.window.QosKey;
import dev.aimnext.operators.qos.window.TelemetryWatermarks;
import dev.aimnext.schemas.event.DeadLetter;
import dev.aimnext.schemas.event.GpuSample;
import dev.aimnext.schemas.event.QosWindow;
import dev.aimnext.schemas.event.RequestTelemetry;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.api.java.typeutils.EitherTypeInfo;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.types.Either;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Throughput and emit latency of the QoS job on a local MiniCluster, with a generator source and
 * discarding sinks, so the figures are the job's own and not a broker's.
 *
 * <p><b>Throughput</b>: the same generated telemetry through three jobs: {@code passthrough} (source,
 * decode split, sink; all chained), {@code passthrough+keyBy} (adds the shuffle by (model,
 * partition) that windows need) and {@code qos} (the full {@link QosJob}: panes, rollup, headroom
 * join, gauges). Events per second is events over the job's net runtime. Even at parallelism 1 a
 * job runs several threads (the keyBy splits it into two tasks), so "per core" is measured, not
 * divided: events per CPU-second of the whole JVM during the run (MiniCluster, GC and JIT
 * included, so it errs low). Generating each event (a seeded Random and an Avro record) is inside
 * every figure.
 *
 * <p><b>Emit latency</b>: a rate-limited source stamps each event with the wall clock as event
 * time, so a window's end is a wall-clock instant. A sink records, for every tumbling window, the
 * wall clock when it arrives minus the window end ({@code after end}). A window cannot close before
 * the watermark passes its end, which happens {@code out-of-orderness} after it at the earliest; the
 * column {@code after watermark} subtracts that bound and leaves what the job adds: waiting for the
 * next periodic watermark (200 ms interval) plus window firing, rollup, join and delivery.
 */
public final class QosBenchmark {

    private static final long T0 = 1_764_288_000_000L;
    private static final Queue<long[]> EMITTED = new ConcurrentLinkedQueue<>();

    private final PrintStream out;

    public QosBenchmark(PrintStream out) {
        this.out = out;
    }

    enum Mode { PASSTHROUGH, PASSTHROUGH_KEYBY, QOS }

    public static void main(String[] args) throws Exception {
        long events = args.length > 0 ? Long.parseLong(args[0]) : 5_000_000;
        int rate = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        int latencySeconds = args.length > 2 ? Integer.parseInt(args[2]) : 75;
        QosBenchmark bench = new QosBenchmark(System.out);
        new AccumulatorSerializationBenchmark(System.out).run();
        bench.throughput(events);
        bench.emitLatency(rate, latencySeconds);
    }

    void throughput(long events) throws Exception {
        out.printf(Locale.ROOT, "%d events per run, 6 (model, partition) keys, 2,000 events/s of event time%n", events);
        run(Mode.QOS, 1, events / 5); // warm-up: JIT, class loading; not reported
        List<String> rows = new ArrayList<>();
        for (int parallelism : new int[] {1, 2}) {
            for (Mode mode : Mode.values()) {
                long cpuBefore = processCpuNanos();
                double seconds = run(mode, parallelism, events);
                double cpuSeconds = (processCpuNanos() - cpuBefore) / 1e9;
                rows.add(String.format(Locale.ROOT, "| %s | %d | %.1f | %,.0f | %.1f | %,.0f |", mode.name().toLowerCase()
                        .replace('_', '+').replace("+keyby", "+keyBy"), parallelism, seconds, events / seconds,
                        cpuSeconds, events / cpuSeconds));
            }
        }
        out.println("| job | parallelism | net runtime s | events/s | CPU s (whole JVM) | events per CPU-second |");
        out.println("|---|---|---|---|---|---|");
        rows.forEach(out::println);
    }

    private double run(Mode mode, int parallelism, long events) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(parallelism);
        SyntheticTelemetry workload = new SyntheticTelemetry(7, SyntheticTelemetry.defaultPlacements(), T0, 0.5, 900);
        GeneratorFunction<Long, Either<DeadLetter, RequestTelemetry>> generate = i -> Either.Right(workload.event(i));
        DataGeneratorSource<Either<DeadLetter, RequestTelemetry>> source =
                new DataGeneratorSource<>(generate, events, either(RequestTelemetry.class));
        if (mode == Mode.QOS) {
            new QosJob(source, oneGpuSample(), new DiscardingSink<>(), new DiscardingSink<>(),
                    SyntheticTelemetry.defaultSlos(), new Configuration()).build(env);
        } else {
            var decoded = env.fromSource(source,
                            TelemetryWatermarks.requests(
                                    QosOptions.OUT_OF_ORDERNESS.defaultValue(), QosOptions.IDLE_TIMEOUT.defaultValue()),
                            "telemetry")
                    .process(new DeadLetterSplitter<RequestTelemetry>())
                    .returns(new AvroTypeInfo<>(RequestTelemetry.class));
            if (mode == Mode.PASSTHROUGH_KEYBY) {
                decoded.keyBy(new QosKey.OfTelemetry(), QosKey.TYPE).sinkTo(new DiscardingSink<>());
            } else {
                decoded.sinkTo(new DiscardingSink<>());
            }
        }
        return env.execute("qos-bench-" + mode).getNetRuntime() / 1000.0;
    }

    void emitLatency(int rate, int seconds) throws Exception {
        EMITTED.clear();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1);
        SyntheticTelemetry workload = new SyntheticTelemetry(11, SyntheticTelemetry.defaultPlacements(), T0, 0.5, 0);
        GeneratorFunction<Long, Either<DeadLetter, RequestTelemetry>> live = i -> Either.Right(
                RequestTelemetry.newBuilder(workload.event(i)).setEventTimeMs(System.currentTimeMillis()).build());
        DataGeneratorSource<Either<DeadLetter, RequestTelemetry>> source = new DataGeneratorSource<>(live,
                (long) rate * seconds, RateLimiterStrategy.perSecond(rate), either(RequestTelemetry.class));
        Configuration config = new Configuration();
        long ooo = config.get(QosOptions.OUT_OF_ORDERNESS).toMillis();
        new QosJob(source, oneGpuSample(), new EmitClock(ooo), new DiscardingSink<>(), SyntheticTelemetry.defaultSlos(),
                config).build(env);
        env.execute("qos-bench-latency");
        List<Long> afterEnd = new ArrayList<>();
        for (long[] e : EMITTED) {
            afterEnd.add(e[0] - e[1]);
        }
        Collections.sort(afterEnd);
        out.printf(Locale.ROOT, "%nemit latency of tumbling-10s windows: %d events/s for %d s, parallelism 1, "
                + "out-of-orderness %d ms, %d windows (those closed by the end of input excluded)%n",
                rate, seconds, ooo, afterEnd.size());
        out.println("| measure | p50 ms | p90 ms | max ms |");
        out.println("|---|---|---|---|");
        out.printf(Locale.ROOT, "| after end | %d | %d | %d |%n", pick(afterEnd, 0.5), pick(afterEnd, 0.9),
                afterEnd.isEmpty() ? 0 : afterEnd.get(afterEnd.size() - 1));
        out.printf(Locale.ROOT, "| after watermark (after end − %d ms) | %d | %d | %d |%n", ooo,
                pick(afterEnd, 0.5) - ooo, pick(afterEnd, 0.9) - ooo,
                (afterEnd.isEmpty() ? 0 : afterEnd.get(afterEnd.size() - 1)) - ooo);
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static long pick(List<Long> sorted, double q) {
        return sorted.isEmpty() ? 0 : sorted.get((int) Math.floor(q * (sorted.size() - 1)));
    }

    /** One sample for one partition: the join is wired and fed, at no cost worth measuring. */
    private static DataGeneratorSource<Either<DeadLetter, GpuSample>> oneGpuSample() {
        GeneratorFunction<Long, Either<DeadLetter, GpuSample>> sample = i -> Either.Right(GpuSample.newBuilder()
                .setNode("node-a").setGpuId("gpu0").setPartitionId("gpu0/cpx0").setComputePartitionMode("CPX")
                .setMemoryPartitionMode("NPS4").setVramUsedBytes(10L << 30).setVramLimitBytes(24L << 30)
                .setProcesses(List.of()).setSampledAtMs(T0).build());
        return new DataGeneratorSource<>(sample, 1, either(GpuSample.class));
    }

    private static <T extends org.apache.avro.specific.SpecificRecordBase> TypeInformation<Either<DeadLetter, T>> either(
            Class<T> type) {
        return new EitherTypeInfo<>(new AvroTypeInfo<>(DeadLetter.class), new AvroTypeInfo<>(type));
    }

    /**
     * Records the wall clock at which each tumbling window arrives. A window the watermark closed
     * arrives at least the out-of-orderness bound after its end; one that arrives sooner was closed
     * by the end of input and is left out.
     */
    static final class EmitClock implements Sink<QosWindow> {
        private static final long serialVersionUID = 1L;
        private final long outOfOrdernessMs;

        EmitClock(long outOfOrdernessMs) {
            this.outOfOrdernessMs = outOfOrdernessMs;
        }

        @Override
        public SinkWriter<QosWindow> createWriter(WriterInitContext context) {
            return new SinkWriter<>() {
                @Override
                public void write(QosWindow w, Context c) {
                    long now = System.currentTimeMillis();
                    if (w.getWindowKind().equals("tumbling-10s") && now - w.getWindowEndMs() >= outOfOrdernessMs) {
                        EMITTED.add(new long[] {now, w.getWindowEndMs()});
                    }
                }

                @Override
                public void flush(boolean endOfInput) {}

                @Override
                public void close() {}
            };
        }
    }
}
