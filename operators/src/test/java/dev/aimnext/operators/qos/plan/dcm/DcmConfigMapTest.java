package dev.aimnext.operators.qos.plan.dcm;

import dev.aimnext.operators.finetune.profile.model.HfConfigParser;
import dev.aimnext.operators.finetune.profile.model.WeightDtype;
import dev.aimnext.operators.qos.placement.GpuPlacement;
import dev.aimnext.operators.qos.placement.Priority;
import dev.aimnext.operators.qos.plan.GpuNode;
import dev.aimnext.operators.qos.plan.KvFloor;
import dev.aimnext.operators.qos.plan.ModelDemand;
import dev.aimnext.operators.qos.plan.ModelDemandReader;
import dev.aimnext.operators.qos.plan.NodePlacement;
import dev.aimnext.operators.qos.plan.PartitionPlanner;
import dev.aimnext.operators.qos.plan.PlacementPlan;
import dev.aimnext.operators.qos.plan.PlanOptions;
import dev.aimnext.operators.qos.plan.hardware.GpuModel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The ConfigMap the AMD GPU operator's Device Config Manager reads, and the DCM's own profile checks. */
class DcmConfigMapTest {

    private final ObjectMapper mapper = new ObjectMapper();

    private static ModelDemand demand(String name, String config, int sequences, Priority priority) {
        String path = (config.startsWith("llama-3.1-70b") || config.startsWith("qwen") ? "/qos/plan/model-configs/"
                : "/finetune/model-configs/") + config + ".json";
        try (InputStream in = DcmConfigMapTest.class.getResourceAsStream(path)) {
            return ModelDemandReader.fromShape(name,
                    HfConfigParser.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), config),
                    WeightDtype.BF16, null, KvFloor.ofSequences(8192, sequences), priority, config);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static PlacementPlan plan(List<GpuNode> nodes, ModelDemand... models) {
        return new PartitionPlanner(PlanOptions.DEFAULT).plan(List.of(models), nodes);
    }

    @Test
    void writesAConfigMapWhoseConfigJsonHoldsOneProfilePerNode() throws IOException {
        PlacementPlan plan = plan(List.of(GpuNode.of(GpuModel.MI300X, 2)),
                demand("llama-8b", "llama-3.1-8b", 4, Priority.HIGH), demand("qwen-32b", "qwen2.5-32b", 2, Priority.MEDIUM),
                demand("mixtral", "mixtral-8x7b-v0.1", 2, Priority.LOW));

        String yaml = DcmConfigMap.toYaml(plan, DcmConfigMap.DEFAULT_NAME, DcmConfigMap.DEFAULT_NAMESPACE,
                DcmConfigMap.DEFAULT_PROFILE);

        Map<String, Object> doc = new Yaml().load(yaml);
        assertThat(doc).containsEntry("apiVersion", "v1").containsEntry("kind", "ConfigMap");
        assertThat(doc.get("metadata")).isEqualTo(Map.of("name", "config-manager-config", "namespace", "kube-amd-gpu"));
        @SuppressWarnings("unchecked")
        String configJson = ((Map<String, String>) doc.get("data")).get("config.json");
        JsonNode config = mapper.readTree(configJson);
        assertThat(config).isEqualTo(mapper.readTree("""
                {"gpu-config-profiles": {"aim-plan": {
                  "skippedGPUs": {"ids": []},
                  "profiles": [
                    {"computePartition": "SPX", "memoryPartition": "NPS1", "numGPUsAssigned": 1},
                    {"computePartition": "DPX", "memoryPartition": "NPS1", "numGPUsAssigned": 1}]}}}
                """));
        assertThat(yaml).contains("#   kubectl taint node NODE amd-dcm=up:NoExecute\n"
                + "#   kubectl label node NODE dcm.amd.com/gpu-config-profile=aim-plan --overwrite\n")
                .contains("data:\n  config.json: |\n    {\n      \"gpu-config-profiles\": {\n        \"aim-plan\": {\n");
    }

    @Test
    void idleGpusAreSkippedAndRunsOfOneModeAreOneEntry() throws IOException {
        GpuNode pinned = GpuNode.parse("", "mi300x:4:cpx", PlanOptions.DEFAULT.allowedModes());
        PlacementPlan plan = plan(List.of(pinned), demand("a", "llama-3.1-8b", 1, Priority.LOW),
                demand("b", "llama-3.1-8b", 1, Priority.LOW));

        JsonNode profile = DcmConfigMap.configJson(plan, "p").path("gpu-config-profiles").path("p");

        // Two 17 GiB models fit one CPX GPU's 24 GiB partitions; the other three GPUs are left alone.
        assertThat(profile.path("skippedGPUs").path("ids").toString()).isEqualTo("[1,2,3]");
        assertThat(profile.path("profiles").toString())
                .isEqualTo("[{\"computePartition\":\"CPX\",\"memoryPartition\":\"NPS1\",\"numGPUsAssigned\":1}]");
    }

    @Test
    void everyProfileMeetsTheDcmChecksAcrossNodes() {
        List<GpuNode> nodes = List.of(new GpuNode("n0", GpuModel.MI300X, 8, Optional.empty()),
                new GpuNode("n1", GpuModel.MI355X, 8, Optional.empty()),
                new GpuNode("n2", GpuModel.MI300X, 2, Optional.empty()));
        List<ModelDemand> models = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            models.add(demand("llama-" + i, "llama-3.1-8b", 2, i % 2 == 0 ? Priority.HIGH : Priority.LOW));
        }
        models.add(demand("qwen-32b", "qwen2.5-32b", 2, Priority.HIGH));
        models.add(demand("mixtral", "mixtral-8x7b-v0.1", 2, Priority.MEDIUM));
        PlacementPlan plan = plan(nodes, models.toArray(ModelDemand[]::new));

        JsonNode profiles = DcmConfigMap.configJson(plan, "aim-plan").path("gpu-config-profiles");

        for (NodePlacement node : plan.nodes()) {
            boolean allIdle = true;
            List<String> expected = new ArrayList<>();
            for (int g = 0; g < node.gpus().size(); g++) {
                if (!node.idle(g)) {
                    allIdle = false;
                    GpuPlacement gpu = node.gpus().get(g);
                    expected.add(gpu.computeMode() + "+" + gpu.memoryMode());
                }
            }
            JsonNode profile = profiles.path(DcmConfigMap.profileName("aim-plan", node));
            if (allIdle) {
                assertThat(profile.isMissingNode()).isTrue();
                continue;
            }
            // The DCM's checks: assigned + skipped = GPUs on the node, one memory mode per profile.
            int assigned = 0;
            Set<String> memory = new HashSet<>();
            List<String> handedOut = new ArrayList<>();
            for (JsonNode entry : profile.path("profiles")) {
                assigned += entry.path("numGPUsAssigned").asInt();
                memory.add(entry.path("memoryPartition").asText());
                for (int i = 0; i < entry.path("numGPUsAssigned").asInt(); i++) {
                    handedOut.add(entry.path("computePartition").asText() + "+" + entry.path("memoryPartition").asText());
                }
            }
            assertThat(assigned + profile.path("skippedGPUs").path("ids").size()).isEqualTo(node.node().count());
            assertThat(memory).hasSize(1);
            // The DCM hands entries to the non-skipped GPUs in id order; that must give each its planned mode.
            assertThat(handedOut).isEqualTo(expected);
        }
        assertThat(profiles.has("aim-plan-n0")).isTrue();
    }

    @Test
    void aNodeWithNothingPlacedGetsNoProfile() {
        PlacementPlan plan = plan(List.of(new GpuNode("busy", GpuModel.MI300X, 1, Optional.empty()),
                new GpuNode("spare", GpuModel.MI300X, 1, Optional.empty())),
                demand("a", "llama-3.1-8b", 1, Priority.LOW));

        String yaml = DcmConfigMap.toYaml(plan, "cm", "ns", "aim-plan");

        assertThat(DcmConfigMap.configJson(plan, "aim-plan").path("gpu-config-profiles").fieldNames())
                .toIterable().containsExactly("aim-plan-busy");
        assertThat(yaml).contains("#   spare: no model placed, no profile\n")
                .contains("dcm.amd.com/gpu-config-profile=aim-plan-busy");
    }
}
