package dev.aimnext.operators.qos.sim.bench;

import dev.aimnext.operators.qos.sim.Scenarios;
import dev.aimnext.operators.qos.sim.ServingSimulator;
import dev.aimnext.operators.qos.sim.SimulationConfig;
import dev.aimnext.operators.qos.sim.TelemetryListener;
import dev.aimnext.schemas.event.GpuSample;
import dev.aimnext.schemas.event.RequestTelemetry;

import java.util.List;

/**
 * How fast the simulator produces telemetry on one thread: runs each scenario for a stretch of
 * simulated time (2 warm-up runs, then 5 measured, each with a new seed) into a listener that only
 * counts, and prints a table of the medians. From the repository root:
 *
 * <pre>
 * ./mvnw -B -q -o -pl operators test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=dev.aimnext.operators.qos.sim.bench.SimulatorThroughputMain
 * </pre>
 */
public final class SimulatorThroughputMain {

    private static final int WARMUP = 2;
    private static final int MEASURED = 5;

    private SimulatorThroughputMain() {
    }

    private static final class Counter implements TelemetryListener {
        long requests;
        long samples;

        @Override
        public void onRequest(RequestTelemetry telemetry) {
            requests++;
        }

        @Override
        public void onGpuSample(GpuSample sample) {
            samples++;
        }
    }

    private record Case(String name, java.util.function.LongFunction<SimulationConfig> config, long simulatedMs) {
    }

    public static void main(String[] args) {
        List<Case> cases = List.of(
                new Case("denseCpx (8 models, 64 req/s)", Scenarios::denseCpx, 3_600_000),
                new Case("priorityWithBurstyNeighbour", Scenarios::priorityWithBurstyNeighbour, 36_000_000));
        System.out.printf("%-32s %10s %10s %9s %8s %12s %14s %9s%n", "scenario", "sim s", "requests", "samples", "wall s",
                "events/s", "events/min", "speed-up");
        for (Case c : cases) {
            double[] wall = new double[MEASURED];
            Counter last = null;
            for (int i = 0; i < WARMUP + MEASURED; i++) {
                SimulationConfig base = c.config().apply(i + 1);
                SimulationConfig config = new SimulationConfig(base.placement(), base.workloads(), base.seed(), c.simulatedMs(),
                        base.gpuSampleIntervalMs(), base.interference(), base.moveDowntimeMs(), base.requestTimeoutMs(),
                        base.node());
                Counter counter = new Counter();
                long start = System.nanoTime();
                new ServingSimulator(config, counter).run();
                double seconds = (System.nanoTime() - start) / 1e9;
                if (i >= WARMUP) {
                    wall[i - WARMUP] = seconds;
                    last = counter;
                }
            }
            java.util.Arrays.sort(wall);
            double median = wall[MEASURED / 2];
            long events = last.requests + last.samples;
            System.out.printf("%-32s %10d %10d %9d %8.2f %12.0f %14.0f %8.0fx%n", c.name(), c.simulatedMs() / 1000,
                    last.requests, last.samples, median, events / median, 60 * events / median, c.simulatedMs() / 1000.0 / median);
        }
    }
}
