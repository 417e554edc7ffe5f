package dev.aimnext.jobs.finetune.k8s;

import org.apache.flink.configuration.ConfigOption;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's `--k8s` table lists every setting of the Kubernetes trainer backend. */
class KubernetesTrainerOptionsDocumentedTest {

    private static final String PREFIX = "aim.finetune.kubernetes.";

    @Test
    void everySettingIsInTheReadmeTable() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        for (ConfigOption<?> option : KubernetesTrainerOptions.ALL) {
            assertThat(option.key()).startsWith(PREFIX);
            String shortKey = option.key().substring(PREFIX.length());
            assertThat(readme).as("README row for %s", option.key()).contains("| `" + shortKey + "` |");
            assertThat(option.description().toString()).as("description of %s", option.key()).isNotBlank();
        }
        assertThat(KubernetesTrainerOptions.ALL).hasSize(11);
    }
}
