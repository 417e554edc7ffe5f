package dev.aimnext.jobs.finetune.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class DatasetContentHashTest {

    @TempDir
    Path dir;

    @Test
    void theHashFollowsContentAndSettingsNotTheirOrder() throws Exception {
        Path data = dir.resolve("chat.jsonl");
        Path tokenizer = dir.resolve("tokenizer.json");
        Files.writeString(data, "{\"messages\": []}\n");
        Files.writeString(tokenizer, "{\"model\": 1}");
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("aim.dataset.eval-fraction", "0.1");
        settings.put("aim.dataset.tokenizer", tokenizer.toString());
        Map<String, String> reordered = new LinkedHashMap<>();
        reordered.put("aim.dataset.tokenizer", tokenizer.toString());
        reordered.put("aim.dataset.eval-fraction", "0.1");

        String hash = DatasetContentHash.of(List.of(data.toString()), settings);
        assertThat(hash).startsWith("sha256:").hasSize("sha256:".length() + 64);
        assertThat(DatasetContentHash.of(List.of(data.toString()), reordered)).isEqualTo(hash);

        Files.writeString(tokenizer, "{\"model\": 2}");
        String newTokenizer = DatasetContentHash.of(List.of(data.toString()), settings);
        assertThat(newTokenizer).as("a changed tokenizer file prepares afresh").isNotEqualTo(hash);

        Files.writeString(data, "{\"messages\": [1]}\n");
        assertThat(DatasetContentHash.of(List.of(data.toString()), settings)).isNotEqualTo(newTokenizer);

        settings.put("aim.dataset.eval-fraction", "0.2");
        assertThat(DatasetContentHash.of(List.of(data.toString()), settings)).isNotEqualTo(newTokenizer);
    }
}
