package dev.aimnext.operators.qos.rebalance;

import dev.aimnext.operators.qos.placement.GpuPlacement;
import dev.aimnext.operators.qos.placement.ModelSlot;
import dev.aimnext.operators.qos.placement.Priority;

import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.aimnext.operators.qos.rebalance.Fixtures.GIB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PlacementLoaderTest {

    private static final String YAML = """
            gpus:
              - gpu: gpu0
                compute_mode: dpx
                memory_mode: NPS1
                partitions:
                  - id: gpu0/dpx0
                    memory: 96GiB
                    compute_share: 0.5
                    models:
                      - model: chat-8b
                        priority: high
                        weights: 16GiB
                        kv_budget: 40GiB
                        kv_floor: 4GiB
                      - model: batch-8b
                        priority: low
                        weights: 16GiB
                        kv_budget: 8GiB
                        kv_floor: 2147483648
                  - id: gpu0/dpx1
                    memory: 96GiB
                    compute_share: 0.5
                    models: []
            """;

    @Test
    void readsAPlacementWithSizesInUnitsOrBytes() {
        List<GpuPlacement> gpus = PlacementLoader.load(YAML, "placement.yaml");
        assertThat(gpus).singleElement().satisfies(g -> {
            assertThat(g.gpuId()).isEqualTo("gpu0");
            assertThat(g.computeMode()).isEqualTo("DPX");
            assertThat(g.partitions()).hasSize(2);
            assertThat(g.model("chat-8b")).contains(new ModelSlot("chat-8b", Priority.HIGH, 16 * GIB, 40 * GIB, 4 * GIB));
            assertThat(g.model("batch-8b").orElseThrow().kvFloorBytes()).isEqualTo(2 * GIB);
            assertThat(g.partition("gpu0/dpx1").orElseThrow().models()).isEmpty();
        });
    }

    @Test
    void theWriterRoundTripsExactlyAndItsJsonIsReadByTheSameLoader() {
        List<GpuPlacement> gpus = PlacementLoader.load(YAML, "placement.yaml");
        String json = PlacementWriter.write(gpus);
        assertThat(json).startsWith("{\"gpus\": [");
        assertThat(PlacementLoader.load(json, "state")).isEqualTo(gpus);
    }

    @Test
    void anUnknownKeyIsAnErrorNamingTheLineAndTheKey() {
        String typo = YAML.replace("kv_floor: 4GiB", "kv_flor: 4GiB");
        assertThatThrownBy(() -> PlacementLoader.load(typo, "placement.yaml"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("placement.yaml line 14: unknown key 'partition gpu0/dpx0.models[].kv_flor'")
                .hasMessageContaining("kv_floor");
    }

    @Test
    void aMissingKeyIsAnError() {
        String missing = YAML.replace("compute_share: 0.5\n        models: []", "models: []");
        assertThatThrownBy(() -> PlacementLoader.load(missing, "p.yaml"))
                .hasMessageContaining("line 20: missing key 'gpus[gpu0].partitions[].compute_share'");
    }

    @Test
    void anOverCommittedPartitionIsAnError() {
        String over = YAML.replace("kv_budget: 40GiB", "kv_budget: 80GiB");
        assertThatThrownBy(() -> PlacementLoader.load(over, "p.yaml"))
                .hasMessageContaining("partition gpu0/dpx0: its models need")
                .hasMessageContaining("but it has " + 96 * GIB);
    }

    @Test
    void aKvBudgetBelowItsFloorIsAnError() {
        String below = YAML.replace("kv_budget: 40GiB", "kv_budget: 2GiB");
        assertThatThrownBy(() -> PlacementLoader.load(below, "p.yaml")).hasMessageContaining("kv floor <= kv budget");
    }

    @Test
    void badModesAreErrors() {
        assertThatThrownBy(() -> PlacementLoader.load(YAML.replace("compute_mode: dpx", "compute_mode: XPX"), "p.yaml"))
                .hasMessageContaining("line 3: gpus[gpu0].compute_mode: unknown compute partition mode 'XPX'");
        // NPS4 needs at least four compute partitions: DPX has two.
        assertThatThrownBy(() -> PlacementLoader.load(YAML.replace("NPS1", "NPS4"), "p.yaml"))
                .hasMessageContaining("NPS4 needs at least 4 compute partitions, DPX makes 2");
        assertThatThrownBy(() -> PlacementLoader.load(YAML.replace("compute_mode: dpx", "compute_mode: SPX")
                .replace("memory_mode: NPS1", "memory_mode: NPS1"), "p.yaml"))
                .hasMessageContaining("SPX makes 1 partitions, 2 are listed");
    }

    @Test
    void duplicatesAndNonYamlAreErrors() {
        assertThatThrownBy(() -> PlacementLoader.load(YAML + YAML.substring(YAML.indexOf("  - gpu:")), "p.yaml"))
                .hasMessageContaining("GPU gpu0 is listed twice");
        assertThatThrownBy(() -> PlacementLoader.load("gpus: [", "p.yaml")).hasMessageStartingWith("p.yaml: not valid YAML or JSON");
        assertThatThrownBy(() -> PlacementLoader.load("", "p.yaml")).hasMessageContaining("empty");
        assertThatThrownBy(() -> PlacementLoader.load("gpus: {}", "p.yaml")).hasMessageContaining("gpus must be a list");
    }
}
