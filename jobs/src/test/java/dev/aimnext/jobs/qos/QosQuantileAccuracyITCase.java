package dev.aimnext.jobs.qos;

import dev.aimnext.jobs.bench.SyntheticTelemetry;
import dev.aimnext.jobs.testing.CollectingSink;
import dev.aimnext.operators.qos.slo.ModelSlo;
import dev.aimnext.operators.qos.slo.SloCatalog;
import dev.aimnext.operators.qos.window.PartitionAddress;
import dev.aimnext.schemas.event.DeadLetter;
import dev.aimnext.schemas.event.GpuSample;
import dev.aimnext.schemas.event.LatencyQuantiles;
import dev.aimnext.schemas.event.QosWindow;
import dev.aimnext.schemas.event.RequestStatus;
import dev.aimnext.schemas.event.RequestTelemetry;

import org.apache.flink.api.java.typeutils.EitherTypeInfo;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Either;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The QoS job's quantiles against exact ones: 60,000 deterministic requests (seeded, lognormal
 * latencies, six (model, partition) pairs, events up to 0.9 s out of order) through the job on a
 * MiniCluster; every tumbling and sliding window's p50, p90, p95 and p99 of TTFT, TPOT and e2e must
 * lie within 1% of the exact quantile of the same requests, and counts, attainment and burn rates
 * must match exactly.
 */
class QosQuantileAccuracyITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
                    .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static final long T0 = 1_764_288_000_000L; // 2025-11-28T00:00Z, a multiple of 10 s
    private static final int EVENTS = 60_000;
    private static final double[] QUANTILES = {0.50, 0.90, 0.95, 0.99};
    private static final long GPU_LIMIT = 24L << 30;

    private final SyntheticTelemetry workload =
            new SyntheticTelemetry(2026, SyntheticTelemetry.defaultPlacements(), T0, 3.0, 900);
    private final SloCatalog slos = SyntheticTelemetry.defaultSlos();

    @Test
    void everyWindowMatchesExactQuantilesCountsAndAttainment() throws Exception {
        SyntheticTelemetry generator = workload;
        GeneratorFunction<Long, Either<DeadLetter, RequestTelemetry>> replay =
                index -> Either.Right(generator.event(index));
        DataGeneratorSource<Either<DeadLetter, RequestTelemetry>> telemetry = new DataGeneratorSource<>(replay, EVENTS,
                new EitherTypeInfo<>(new AvroTypeInfo<>(DeadLetter.class), new AvroTypeInfo<>(RequestTelemetry.class)));
        List<GpuSample> samples = gpuSamples();
        GeneratorFunction<Long, Either<DeadLetter, GpuSample>> gpuReplay =
                index -> Either.Right(samples.get(index.intValue()));
        DataGeneratorSource<Either<DeadLetter, GpuSample>> gpu = new DataGeneratorSource<>(gpuReplay, samples.size(),
                new EitherTypeInfo<>(new AvroTypeInfo<>(DeadLetter.class), new AvroTypeInfo<>(GpuSample.class)));
        CollectingSink<QosWindow> windows = new CollectingSink<>("qos-accuracy-windows");
        CollectingSink<DeadLetter> dead = new CollectingSink<>("qos-accuracy-dead");

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        new QosJob(telemetry, gpu, windows, dead, slos, new Configuration()).execute(env);

        Reference reference = new Reference();
        for (long i = 0; i < EVENTS; i++) {
            reference.add(workload.event(i));
        }
        assertThat(dead.results()).as("no event is later than the out-of-orderness bound").isEmpty();

        Map<String, List<QosWindow>> byKind = new HashMap<>();
        for (QosWindow w : windows.results()) {
            byKind.computeIfAbsent(w.getWindowKind(), k -> new ArrayList<>()).add(w);
        }
        List<QosWindow> tumbling = byKind.get("tumbling-10s");
        List<QosWindow> sliding = byKind.get("sliding-1m");
        assertThat(tumbling.stream().mapToLong(QosWindow::getRequestCount).sum()).isEqualTo(EVENTS);
        assertThat(keysAndEnds(tumbling)).isEqualTo(reference.nonEmptyWindows(10_000));
        assertThat(keysAndEnds(sliding)).isEqualTo(reference.nonEmptyWindows(60_000));
        assertThat(keysAndEnds(byKind.get("burn-5m"))).isEqualTo(keysAndEnds(sliding));
        assertThat(keysAndEnds(byKind.get("burn-1h"))).isEqualTo(keysAndEnds(sliding));

        int checked = 0;
        for (QosWindow w : concat(tumbling, sliding)) {
            List<RequestTelemetry> events = reference.events(w);
            assertThat(w.getRequestCount()).isEqualTo(events.size());
            assertQuantiles(w, "ttft", w.getTtftMs(), latencies(events, "ttft"));
            assertQuantiles(w, "tpot", w.getTpotMs(), latencies(events, "tpot"));
            assertQuantiles(w, "e2e", w.getE2eMs(), latencies(events, "e2e"));
            assertAttainment(w, events);
            checked++;
        }
        for (QosWindow w : concat(byKind.get("burn-5m"), byKind.get("burn-1h"))) {
            List<RequestTelemetry> events = reference.events(w);
            assertThat(w.getRequestCount()).isEqualTo(events.size());
            assertAttainment(w, events);
            assertThat(w.getTtftMs().getP99()).isNaN();
        }
        assertThat(checked).isGreaterThan(200);

        // GPU samples arrive long before the last windows; headroom is joined by partition address.
        Map<String, Long> headroom = Map.of("gpu0/cpx0", GPU_LIMIT - (10L << 30), "gpu0/cpx1", GPU_LIMIT - (20L << 30),
                "0000:83:00.0/0", GPU_LIMIT - (4L << 30));
        for (QosWindow w : windows.results()) {
            assertThat(w.getMemoryHeadroomBytes()).as("headroom of %s", w.getPartitionId())
                    .isIn(null, headroom.get(w.getPartitionId()));
        }
        long lastEnd = sliding.stream().mapToLong(QosWindow::getWindowEndMs).max().orElseThrow();
        assertThat(sliding).filteredOn(w -> w.getWindowEndMs() == lastEnd).isNotEmpty()
                .allSatisfy(w -> assertThat(w.getMemoryHeadroomBytes()).isEqualTo(headroom.get(w.getPartitionId())));
    }

    private static List<GpuSample> gpuSamples() {
        List<GpuSample> samples = new ArrayList<>();
        samples.add(sample("gpu0", "gpu0/cpx0", 12L << 30, T0));
        samples.add(sample("gpu0", "gpu0/cpx0", 10L << 30, T0 + 5_000)); // the latest wins
        samples.add(sample("gpu0", "gpu0/cpx1", 20L << 30, T0));
        samples.add(sample("0000:83:00.0", "0", 4L << 30, T0));          // the collector's naming
        return samples;
    }

    private static GpuSample sample(String gpu, String partition, long used, long at) {
        return GpuSample.newBuilder().setNode("node-a").setGpuId(gpu).setPartitionId(partition)
                .setComputePartitionMode("CPX").setMemoryPartitionMode("NPS4").setVramUsedBytes(used)
                .setVramLimitBytes(GPU_LIMIT).setProcesses(List.of()).setSampledAtMs(at).build();
    }

    private static void assertQuantiles(QosWindow w, String measure, LatencyQuantiles got, double[] sorted) {
        double[] reported = {got.getP50(), got.getP90(), got.getP95(), got.getP99()};
        for (int i = 0; i < QUANTILES.length; i++) {
            // DDSketch reports the value at rank floor(q (n - 1)).
            double exact = sorted[(int) Math.floor(QUANTILES[i] * (sorted.length - 1))];
            assertThat(reported[i])
                    .as("%s p%s of %s/%s %s ending %d", measure, (int) (QUANTILES[i] * 100), w.getModel(),
                            w.getPartitionId(), w.getWindowKind(), w.getWindowEndMs())
                    .isCloseTo(exact, within(exact * 0.01));
        }
    }

    private void assertAttainment(QosWindow w, List<RequestTelemetry> events) {
        ModelSlo slo = slos.lookup(w.getModel());
        long errors = 0;
        long ttft = 0;
        long tpot = 0;
        long e2e = 0;
        long all = 0;
        for (RequestTelemetry t : events) {
            if (t.getStatus() != RequestStatus.OK) {
                errors++;
                continue;
            }
            boolean a = slo == null || t.getTtftMs() <= slo.ttftP99Ms();
            boolean b = slo == null || t.getCompletionTokens() <= 1 || t.getTpotMs() <= slo.tpotP99Ms();
            boolean c = slo == null || t.getE2eMs() <= slo.e2eP99Ms();
            ttft += a ? 1 : 0;
            tpot += b ? 1 : 0;
            e2e += c ? 1 : 0;
            all += a && b && c ? 1 : 0;
        }
        double n = events.size();
        assertThat(w.getErrorCount()).isEqualTo(errors);
        assertThat(w.getSloAttainment().get("all")).isCloseTo(all / n, within(1e-12));
        assertThat(w.getErrorBudgetBurnRate()).isCloseTo((1 - all / n) / 0.01, within(1e-9));
        if (slo != null) {
            assertThat(w.getSloAttainment().get("ttft")).isCloseTo(ttft / n, within(1e-12));
            assertThat(w.getSloAttainment().get("tpot")).isCloseTo(tpot / n, within(1e-12));
            assertThat(w.getSloAttainment().get("e2e")).isCloseTo(e2e / n, within(1e-12));
        } else {
            assertThat(w.getSloAttainment()).containsOnlyKeys("all");
        }
    }

    private static double[] latencies(List<RequestTelemetry> events, String measure) {
        return events.stream()
                .filter(t -> t.getStatus() == RequestStatus.OK)
                .filter(t -> !measure.equals("tpot") || t.getCompletionTokens() > 1)
                .mapToDouble(t -> switch (measure) {
                    case "ttft" -> t.getTtftMs();
                    case "tpot" -> t.getTpotMs();
                    default -> t.getE2eMs();
                })
                .sorted()
                .toArray();
    }

    private static Set<String> keysAndEnds(List<QosWindow> windows) {
        Set<String> keys = new HashSet<>();
        for (QosWindow w : windows) {
            assertThat(keys.add(w.getModel() + "|" + w.getPartitionId() + "|" + w.getWindowEndMs()))
                    .as("one window per key and end").isTrue();
        }
        return keys;
    }

    private static List<QosWindow> concat(List<QosWindow> a, List<QosWindow> b) {
        List<QosWindow> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** The events by key and 10-second pane, for exact answers. */
    private static final class Reference {
        private final Map<String, Map<Long, List<RequestTelemetry>>> panes = new HashMap<>();

        void add(RequestTelemetry t) {
            String key = t.getModel() + "|" + PartitionAddress.of(t.getGpuId(), t.getPartitionId());
            panes.computeIfAbsent(key, k -> new HashMap<>())
                    .computeIfAbsent(Math.floorDiv(t.getEventTimeMs(), 10_000L) * 10_000L, s -> new ArrayList<>())
                    .add(t);
        }

        List<RequestTelemetry> events(QosWindow w) {
            Map<Long, List<RequestTelemetry>> byPane = panes.get(w.getModel() + "|" + w.getPartitionId());
            List<RequestTelemetry> events = new ArrayList<>();
            for (long start = w.getWindowStartMs(); start < w.getWindowEndMs(); start += 10_000) {
                events.addAll(byPane.getOrDefault(start, List.of()));
            }
            return events;
        }

        /** Every (key, end) whose window of {@code sizeMs}, ending on a pane boundary, holds an event. */
        Set<String> nonEmptyWindows(long sizeMs) {
            Set<String> out = new HashSet<>();
            panes.forEach((key, byPane) -> byPane.keySet().forEach(start -> {
                for (long end = start + 10_000; end <= start + sizeMs; end += 10_000) {
                    out.add(key + "|" + end);
                }
            }));
            return out;
        }
    }
}
