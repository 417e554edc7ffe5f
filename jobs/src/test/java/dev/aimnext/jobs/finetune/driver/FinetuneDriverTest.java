package dev.aimnext.jobs.finetune.driver;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FinetuneDriverTest {

    @Test
    void theTrainerRunsUnbufferedWithTheCheckoutsTrainerOnItsPath() {
        Map<String, String> env = FinetuneDriver.trainerEnvironment();

        assertThat(env).containsEntry("PYTHONUNBUFFERED", "1");
        // the tests run from jobs/ with classes in jobs/target: the checkout's trainer/ is found either way
        assertThat(env.get("PYTHONPATH")).startsWith(Path.of("../trainer").toAbsolutePath().normalize().toString());
    }

    @Test
    void kubernetesBackendNeedsTheImageTheClaimAndAKnownGpuResource() {
        FinetuneDriver.Options noImage = new FinetuneDriver.Options(Path.of("runs"), "kubernetes", null, null,
                Optional.empty(), "t", 0, null, false, null, "amd.com/gpu",
                Map.of("aim.finetune.kubernetes.runs-claim", "aim-runs"));
        assertThatThrownBy(() -> FinetuneDriver.backend("kubernetes", noImage)).hasMessageContaining("needs --image IMAGE");
        FinetuneDriver.Options badGpu = new FinetuneDriver.Options(Path.of("runs"), "kubernetes", null, null,
                Optional.empty(), "t", 0, null, false, "trainer:1", "intel.com/gpu",
                Map.of("aim.finetune.kubernetes.runs-claim", "aim-runs"));
        assertThatThrownBy(() -> FinetuneDriver.backend("kubernetes", badGpu))
                .hasMessageContaining("--gpu-resource must be amd.com/gpu or nvidia.com/gpu");
        FinetuneDriver.Options noClaim = new FinetuneDriver.Options(Path.of("runs"), "kubernetes", null, null,
                Optional.empty(), "t", 0, null, false, "trainer:1", "nvidia.com/gpu", Map.of());
        assertThatThrownBy(() -> FinetuneDriver.backend("kubernetes", noClaim))
                .hasMessageContaining("aim.finetune.kubernetes.runs-claim is required");
    }

    @Test
    void onlyTheLocalBackendIsBuiltIn() {
        assertThat(FinetuneDriver.backend("local").name()).isEqualTo("local");
        assertThat(FinetuneDriver.backend(null).name()).isEqualTo("local");
        assertThatThrownBy(() -> FinetuneDriver.backend("slurm")).hasMessage("--backend must be local or kubernetes, got 'slurm'");
    }
}
