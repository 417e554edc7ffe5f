package dev.aimnext.operators.finetune.run;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class CheckpointScannerTest {

    @TempDir
    Path runDir;

    @Test
    void resumesFromTheNewestCompleteCheckpoint() throws IOException {
        complete(100);
        complete(200);
        Files.createDirectories(runDir.resolve("checkpoint-300/adapter")); // crash while saving: no manifest

        assertThat(CheckpointScanner.resumePoint(runDir)).get().extracting(Checkpoint::step).isEqualTo(200L);
        List<Checkpoint> all = CheckpointScanner.scan(runDir, CheckpointScanner.Verification.HASHES);
        assertThat(all).extracting(Checkpoint::step).containsExactly(100L, 200L, 300L);
        assertThat(all.get(2).problem()).contains("no manifest.json");
    }

    @Test
    void aFileThatDoesNotMatchItsHashMakesTheCheckpointCorrupt() throws IOException {
        complete(100);
        complete(200);
        Files.writeString(runDir.resolve("checkpoint-200/adapter/adapter_model.safetensors"), "bit rot");

        assertThat(CheckpointScanner.resumePoint(runDir)).get().extracting(Checkpoint::step).isEqualTo(100L);
        Checkpoint corrupt = CheckpointScanner.scan(runDir, CheckpointScanner.Verification.HASHES).get(1);
        assertThat(corrupt.complete()).isFalse();
        assertThat(corrupt.problem()).isEqualTo("adapter/adapter_model.safetensors does not match its sha256 in manifest.json");
        // a listing only checks presence, so it cannot see the changed bytes
        assertThat(CheckpointScanner.scan(runDir, CheckpointScanner.Verification.PRESENCE).get(1).complete()).isTrue();
    }

    @Test
    void aMissingListedFileIsIncompleteEvenWithoutHashing() throws IOException {
        complete(100);
        Files.delete(runDir.resolve("checkpoint-100/optimizer.pt"));

        Checkpoint c = CheckpointScanner.scan(runDir, CheckpointScanner.Verification.PRESENCE).get(0);
        assertThat(c.problem()).isEqualTo("missing optimizer.pt");
        assertThat(CheckpointScanner.resumePoint(runDir)).isEmpty();
    }

    @Test
    void manifestsThatDoNotVouchForTheFolderAreRejected() throws IOException {
        complete(100);
        manifest(100, "{\"step\": 100, \"complete\": false, \"files\": {}}");
        complete(200);
        manifest(200, "{\"step\": 150, \"complete\": true, \"files\": {\"trainer_state.json\": \"sha256:00\"}}");
        complete(300);
        manifest(300, "{\"step\": 300, \"complete\": true, \"files\": {\"optimizer.pt\": \"sha256:00\"}}");
        complete(400);
        manifest(400, "{\"step\": 400, \"complete\": true, \"files\": {\"trainer_state.json\": \"sha256:00\", "
                + "\"../../etc/passwd\": \"sha256:00\"}}");
        complete(500);
        manifest(500, "{\"step\": 500, \"complete\": tr");

        List<Checkpoint> all = CheckpointScanner.scan(runDir, CheckpointScanner.Verification.HASHES);
        assertThat(all).extracting(Checkpoint::problem).containsExactly(
                "manifest.json does not say \"complete\": true",
                "manifest.json step 150 does not match the folder (200)",
                "manifest.json does not list trainer_state.json",
                "manifest.json lists a path outside the checkpoint: ../../etc/passwd",
                "manifest.json is not valid JSON");
        assertThat(CheckpointScanner.resumePoint(runDir)).isEmpty();
    }

    @Test
    void otherFoldersAndAMissingRunDirAreNotCheckpoints() throws IOException {
        Files.createDirectories(runDir.resolve("final"));
        Files.createDirectories(runDir.resolve("checkpoint-best"));
        Files.createDirectories(runDir.resolve("checkpoint-"));
        Files.writeString(runDir.resolve("checkpoint-7"), "a file");

        assertThat(CheckpointScanner.scan(runDir, CheckpointScanner.Verification.HASHES)).isEmpty();
        assertThat(CheckpointScanner.scan(runDir.resolve("nope"), CheckpointScanner.Verification.HASHES)).isEmpty();
    }

    @Test
    void stepsSortNumericallyNotByName() throws IOException {
        complete(90);
        complete(1000);
        complete(200);

        assertThat(CheckpointScanner.scan(runDir, CheckpointScanner.Verification.HASHES))
                .extracting(Checkpoint::step).containsExactly(90L, 200L, 1000L);
        assertThat(CheckpointScanner.resumePoint(runDir)).get().extracting(Checkpoint::step).isEqualTo(1000L);
    }

    /** A complete checkpoint in the protocol's layout, manifest written last. */
    private void complete(long step) throws IOException {
        Path dir = runDir.resolve("checkpoint-" + step);
        Files.createDirectories(dir.resolve("adapter"));
        Map<String, String> files = new LinkedHashMap<>();
        files.put("adapter/adapter_model.safetensors", "weights " + step);
        files.put("adapter/adapter_config.json", "{\"r\": 16}");
        files.put("optimizer.pt", "moments " + step);
        files.put("trainer_state.json", "{\"step\": " + step + "}");
        StringBuilder manifest = new StringBuilder("{\"step\": " + step + ", \"complete\": true, \"files\": {");
        String sep = "";
        for (Map.Entry<String, String> f : files.entrySet()) {
            Path file = dir.resolve(f.getKey());
            Files.writeString(file, f.getValue(), StandardCharsets.UTF_8);
            manifest.append(sep).append('"').append(f.getKey()).append("\": \"sha256:")
                    .append(CheckpointScanner.sha256(file)).append('"');
            sep = ", ";
        }
        manifest(step, manifest.append("}}").toString());
    }

    private void manifest(long step, String json) throws IOException {
        Files.writeString(runDir.resolve("checkpoint-" + step).resolve("manifest.json"), json);
    }
}
