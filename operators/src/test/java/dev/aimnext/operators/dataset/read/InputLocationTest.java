package dev.aimnext.operators.dataset.read;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InputLocationTest {

    @TempDir
    Path dir;

    @Test
    void aPlainPathIsReadInPlace() throws Exception {
        Path file = dir.resolve("rows.jsonl");
        Files.write(file, List.of("{}"));
        try (InputLocation location = InputLocation.resolve(file.toString())) {
            assertThat(location.file()).isEqualTo(file);
        }
        assertThat(file).exists();
    }

    @Test
    void aUriGoesThroughFlinksFileSystemsAndKeepsTheFileName() throws Exception {
        Path file = dir.resolve("chat.jsonl");
        Files.write(file, List.of("{\"prompt\":\"a\",\"completion\":\"b\"}"));
        Path copy;
        try (InputLocation location = InputLocation.resolve(file.toUri().toString())) {
            copy = location.file();
            assertThat(copy).isNotEqualTo(file);
            assertThat(copy.getFileName().toString()).isEqualTo("chat.jsonl");
            assertThat(Files.readAllLines(copy)).containsExactly("{\"prompt\":\"a\",\"completion\":\"b\"}");
        }
        assertThat(copy).doesNotExist();
    }

    @Test
    void anUnreachableUriNamesTheLocationAndTheScheme() {
        String missing = dir.resolve("missing.jsonl").toUri().toString();
        assertThatThrownBy(() -> InputLocation.resolve(missing))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("cannot read " + missing)
                .hasMessageContaining("plugin for 'file'");
        assertThatThrownBy(() -> InputLocation.resolve("s3://bucket/data.jsonl"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("plugin for 's3'");
    }

    @Test
    void onlySchemeColonSlashSlashCountsAsAUri() {
        assertThat(InputLocation.isUri("s3://bucket/a.jsonl")).isTrue();
        assertThat(InputLocation.isUri("file:///tmp/a.jsonl")).isTrue();
        assertThat(InputLocation.isUri("file:/tmp/a.jsonl")).isTrue();
        assertThat(InputLocation.isUri("C:/data/a.jsonl")).isFalse();
        assertThat(InputLocation.isUri("data/a.jsonl")).isFalse();
        assertThat(InputLocation.isUri("/abs/a.jsonl")).isFalse();
        assertThat(InputLocation.isUri("weird name://x")).isFalse();
    }
}
