package dev.aimnext.jobs.guardrails;

import org.apache.flink.configuration.ConfigOption;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's configuration table lists every option of the job, so users can find them all. */
class GuardrailOptionsDocumentedTest {

    @Test
    void everyOptionIsInTheReadmeTable() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        int options = 0;
        for (Field field : GuardrailOptions.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == ConfigOption.class) {
                ConfigOption<?> option = (ConfigOption<?>) field.get(null);
                assertThat(readme).as("README row for %s", option.key()).contains("| `" + option.key() + "` |");
                assertThat(option.description().toString()).as("description of %s", option.key()).isNotBlank();
                options++;
            }
        }
        assertThat(options).isEqualTo(16);
    }
}
