package dev.aimnext.jobs.cli;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FinetuneCommandTest {

    @Test
    void stallTimeoutsReadWithTheirUnit() {
        assertThat(FinetuneCommand.duration("10m")).isEqualTo(Duration.ofMinutes(10));
        assertThat(FinetuneCommand.duration("90s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(FinetuneCommand.duration("1500ms")).isEqualTo(Duration.ofMillis(1500));
        assertThat(FinetuneCommand.duration("2h")).isEqualTo(Duration.ofHours(2));
        assertThat(FinetuneCommand.duration("45")).isEqualTo(Duration.ofSeconds(45));
        for (String bad : new String[] {"soon", "500ms", "-5m", "m", ""}) {
            assertThatThrownBy(() -> FinetuneCommand.duration(bad)).as(bad)
                    .hasMessageStartingWith("--stall-timeout must be a duration of at least 1s");
        }
    }

    @Test
    void theTrainerCommandSplitsOnWhitespace() {
        assertThat(FinetuneCommand.command("  env A=1\tpython3 -m   aim_trainer ")).containsExactly("env", "A=1",
                "python3", "-m", "aim_trainer");
        assertThatThrownBy(() -> FinetuneCommand.command("   ")).hasMessage("--trainer-command is empty");
    }

    @Test
    void theK8sOptionTakesKeysWithOrWithoutThePrefix() {
        assertThat(FinetuneCommand.kubernetesSettings("runs-claim=aim-runs, aim.finetune.kubernetes.namespace=ml"))
                .containsExactly(java.util.Map.entry("aim.finetune.kubernetes.runs-claim", "aim-runs"),
                        java.util.Map.entry("aim.finetune.kubernetes.namespace", "ml"));
        assertThat(FinetuneCommand.kubernetesSettings("")).isEmpty();
        assertThatThrownBy(() -> FinetuneCommand.kubernetesSettings("runs-claim"))
                .hasMessageContaining("--k8s takes KEY=VALUE");
    }
}
