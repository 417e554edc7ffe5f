package dev.aimnext.jobs.finetune.store;

import dev.aimnext.operators.finetune.run.RunRecord;
import dev.aimnext.operators.finetune.run.RunState;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RunStoreTest {

    @TempDir
    Path dir;

    @Test
    void savesLoadsAndListsRunsOldestFirst() throws Exception {
        RunStore store = new RunStore(dir.resolve("runs"));
        RunRecord second = new RunRecord("b-run", 2_000);
        RunRecord first = new RunRecord("z-run", 1_000);
        store.create(second);
        store.create(first);
        second.moveTo(RunState.PREPARING, "preparing", 3_000);
        store.save(second);
        Files.createDirectories(dir.resolve("runs/datasets")); // not a run: no run.json
        Files.createDirectories(dir.resolve("runs/broken"));
        Files.writeString(dir.resolve("runs/broken/run.json"), "{");

        List<String> problems = new ArrayList<>();
        List<RunRecord> runs = store.list(problems);

        assertThat(runs).extracting(RunRecord::runId).containsExactly("z-run", "b-run");
        assertThat(store.load("b-run").state()).isEqualTo(RunState.PREPARING);
        assertThat(problems).singleElement().asString().contains("broken/run.json: not valid JSON");
    }

    @Test
    void writesLeaveNoTemporaryFilesBehind() throws Exception {
        RunStore store = new RunStore(dir);
        RunRecord run = new RunRecord("r", 1);
        store.create(run);
        for (int i = 0; i < 5; i++) {
            run.touch(i);
            store.save(run);
        }
        try (Stream<Path> files = Files.list(dir.resolve("r"))) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("run.json");
        }
    }

    @Test
    void aRunIdIsCreatedOnceAndMustBeAPlainName() throws Exception {
        RunStore store = new RunStore(dir);
        store.create(new RunRecord("r", 1));

        assertThatThrownBy(() -> store.create(new RunRecord("r", 2))).isInstanceOf(FileAlreadyExistsException.class);
        assertThatThrownBy(() -> store.load("../etc")).hasMessageContaining("is not a run id");
        assertThatThrownBy(() -> store.load("missing")).hasMessageContaining("no run 'missing' under");
    }
}
