package dev.aimnext.jobs.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The {@code aim plan} contract: DCM YAML on stdout or --out, the placement on stderr, exit 3 on rejections. */
class PlanCommandTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @TempDir
    Path dir;

    private Path llama8b;
    private Path llama70b;

    @BeforeEach
    void writeConfigs() throws IOException {
        llama8b = copy("/finetune/llama-3.1-8b-config.json", "Llama-3.1-8B");
        llama70b = copy("/qos/plan/llama-3.1-70b-config.json", "Llama-3.1-70B");
    }

    private Path copy(String resource, String model) throws IOException {
        Path config = dir.resolve(model).resolve("config.json");
        Files.createDirectories(config.getParent());
        try (InputStream in = getClass().getResourceAsStream(resource)) {
            Files.write(config, in.readAllBytes());
        }
        return config;
    }

    private int run(String... args) {
        return AimCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void writesTheConfigMapToStdoutAndThePlacementToStderr() throws IOException {
        int code = run("plan", "--gpus", "mi300x:2", "--model", "chat=" + llama8b + ":kv=8192x4:priority=high",
                "--model", "batch=" + llama8b + ":fp8:priority=low", "--model", "big=" + llama70b + ":fp16");

        assertThat(code).isZero();
        Map<String, Object> doc = new Yaml().load(stdout());
        assertThat(doc).containsEntry("kind", "ConfigMap");
        @SuppressWarnings("unchecked")
        JsonNode config = new ObjectMapper().readTree(((Map<String, String>) doc.get("data")).get("config.json"));
        JsonNode entries = config.at("/gpu-config-profiles/aim-plan/profiles");
        int assigned = 0;
        for (JsonNode entry : entries) {
            assigned += entry.path("numGPUsAssigned").asInt();
            assertThat(entry.path("memoryPartition").asText()).isEqualTo("NPS1");
        }
        assertThat(assigned + config.at("/gpu-config-profiles/aim-plan/skippedGPUs/ids").size()).isEqualTo(2);
        assertThat(stderr()).startsWith("aim plan: 3 of 3 models placed on 2 GPUs, best of ")
                .contains("    big                  MEDIUM weights 131.4 GiB  KV floor 2.5 GiB")
                .contains("    chat                 HIGH   weights 15.0 GiB  KV floor 4.0 GiB")
                .endsWith("DCM ConfigMap kube-amd-gpu/config-manager-config -> stdout\n");
    }

    @Test
    void rejectsLlama70bInFp16ForA48GibPartitionAndExits3() throws IOException {
        Path yaml = dir.resolve("dcm.yaml");

        int code = run("plan", "--gpus", "mi300x:1:qpx", "--model", "llama-70b=" + llama70b + ":fp16",
                "--model=llama-8b=" + llama8b, "--out", yaml.toString(), "--namespace", "gpu-ops",
                "--dcm-profile", "inference");

        assertThat(code).isEqualTo(3);
        assertThat(stdout()).isEmpty();
        assertThat(stderr()).contains("rejected:\n  llama-70b (MEDIUM): llama-70b needs 133.9 GiB (weights 131.4 GiB "
                + "+ KV floor 2.5 GiB) but the largest partition available, MI300X QPX+NPS1 with 48.0 GiB, holds "
                + "43.2 GiB at gpu-memory-utilization 0.90: 90.7 GiB short")
                .contains("gpu0  MI300X QPX+NPS1 (documented)  4 x 48.0 GiB, 2 XCDs each\n")
                .endsWith("DCM ConfigMap gpu-ops/config-manager-config -> " + yaml + "\n");
        String written = Files.readString(yaml);
        assertThat(written).contains("  namespace: gpu-ops\n")
                .contains("dcm.amd.com/gpu-config-profile=inference --overwrite")
                .contains("\"computePartition\": \"QPX\"");
    }

    @Test
    void validatedModesAloneSplitMi300xWithNps2() {
        int code = run("plan", "--gpus", "mi300x:1", "--modes", "validated", "--model", "a=" + llama8b + ":priority=high",
                "--model", "b=" + llama8b + ":priority=low");

        // AMD validates DPX on MI300X with NPS2 only; it keeps the HIGH model apart from the LOW one.
        assertThat(code).isZero();
        assertThat(stderr()).contains("gpu0  MI300X DPX+NPS2 (validated)").contains("modes allowed: up to validated");
        assertThat(stdout()).contains("\"computePartition\": \"DPX\",\n")
                .contains("\"memoryPartition\": \"NPS2\",\n");
    }

    @Test
    void badInputIsOneLine() {
        assertThat(run("plan", "--model", "a=" + llama8b)).isEqualTo(2);
        assertThat(run("plan", "--gpus", "mi300x:1")).isEqualTo(2);
        assertThat(run("plan", "--gpus", "mi300x:1:spx+nps4", "--model", "a=" + llama8b)).isEqualTo(2);
        assertThat(run("plan", "--gpus", "h100:8", "--model", "a=" + llama8b)).isEqualTo(2);
        assertThat(run("plan", "--gpus", "mi300x:1", "--model", "a=" + llama8b + ":kv=lots")).isEqualTo(2);
        assertThat(run("plan", "--gpus", "mi300x:1", "--model", "a=" + llama8b, "--colour", "red")).isEqualTo(2);
        assertThat(run("plan", "--gpus", "mi300x:1", "--model")).isEqualTo(2);

        assertThat(stdout()).isEmpty();
        assertThat(stderr().split("\n")).containsExactly(
                "aim: plan needs --gpus GPU:COUNT[:MODE][,...] (e.g. mi300x:8)",
                "aim: plan needs at least one --model NAME=config.json[:FIELD...] or --profile profile.json",
                "aim: SPX+NPS4 is not a valid partition mode: a GPU cannot have more memory partitions (NPS4: 4) than "
                        + "compute partitions (SPX: 1)",
                "aim: unknown GPU 'h100'; expected one of mi300x, mi325x, mi350x, mi355x",
                "aim: KV floor 'lots' is not TOKENSxSEQUENCES (e.g. 8192x4), a size in GiB or MiB (e.g. 4GiB) or a "
                        + "byte count",
                "aim: unknown option --colour",
                "aim: option --model needs a value");
    }

    @Test
    void helpDescribesPlan() {
        assertThat(run("help")).isZero();
        assertThat(stdout()).contains("  plan   choose GPU partition modes and place models")
                .contains("--modes validated|documented|preview");
    }
}
