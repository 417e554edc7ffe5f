package dev.aimnext.jobs.finetune.driver;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

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
    void onlyTheLocalBackendIsBuiltIn() {
        assertThat(FinetuneDriver.backend("local").name()).isEqualTo("local");
        assertThat(FinetuneDriver.backend(null).name()).isEqualTo("local");
        assertThatThrownBy(() -> FinetuneDriver.backend("slurm")).hasMessage("--backend must be local, got 'slurm'");
    }
}
