package dev.aimnext.jobs.demo;

import dev.aimnext.operators.qos.rebalance.PlacementWriter;
import dev.aimnext.operators.qos.sim.Scenarios;
import dev.aimnext.operators.qos.sim.SimulationConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The serving scenario the demo simulates, {@link Scenarios#priorityWithBurstyNeighbour}: a
 * HIGH-priority chat model sharing a QPX partition of one MI300X with a bursty LOW-priority batch
 * model, next to a medium and a low model and an empty partition. The QoS job reads the scenario's
 * placement and SLOs from files, as it would in production, so the demo writes them to its work
 * directory.
 */
public final class SimulatedScenario {

    /** Names of the files {@link #writeFiles} writes. */
    public static final String PLACEMENT_FILE = "placement.json";
    public static final String SLO_FILE = "slo.yaml";

    private SimulatedScenario() {}

    /** The scenario; each seed gives other traffic, the same placement and workloads. */
    public static SimulationConfig config(long seed) {
        return Scenarios.priorityWithBurstyNeighbour(seed);
    }

    /**
     * The SLO file: only the chat model has an objective (p99 TTFT {@value Scenarios#CHAT_TTFT_P99_SLO_MS}
     * ms, HIGH), as in the scenario's acceptance test; the others keep the priorities of their
     * placement and count only successes towards attainment.
     */
    public static String sloYaml() {
        return String.format(Locale.ROOT, "models:%n  %s:%n    ttft_p99_ms: %.0f%n    priority: high%n",
                Scenarios.CHAT, Scenarios.CHAT_TTFT_P99_SLO_MS);
    }

    /** The placement and SLO files, written to {@code dir}. */
    public record ScenarioFiles(Path placement, Path slos) {}

    /** Writes the scenario's initial placement ({@link PlacementWriter} JSON) and {@link #sloYaml} into {@code dir}. */
    public static ScenarioFiles writeFiles(Path dir, SimulationConfig config) {
        try {
            Files.createDirectories(dir);
            Path placement = Files.writeString(dir.resolve(PLACEMENT_FILE),
                    PlacementWriter.write(List.of(config.placement())));
            Path slos = Files.writeString(dir.resolve(SLO_FILE), sloYaml());
            return new ScenarioFiles(placement, slos);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the demo's scenario files to " + dir + ": " + e.getMessage(), e);
        }
    }
}
