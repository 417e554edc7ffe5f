package dev.aimnext.jobs.finetune.store;

import dev.aimnext.operators.finetune.run.RunRecord;
import dev.aimnext.operators.finetune.run.RunRecordJson;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The runs folder ({@code runs/} by default): one {@code RUN_ID/} folder per run with its
 * {@code run.json}. Every write goes to a temporary file in the same folder and is then renamed over
 * the old one, so a crash or a reader in the middle never sees half a {@code run.json}.
 */
public final class RunStore {

    public static final String RUN_FILE = "run.json";

    private final Path root;

    public RunStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    public Path runDir(String runId) {
        requireRunId(runId);
        return root.resolve(runId);
    }

    /**
     * Creates the run's folder and its first {@code run.json}.
     *
     * @throws FileAlreadyExistsException when a run of that id exists
     */
    public void create(RunRecord run) throws IOException {
        Files.createDirectories(root);
        Files.createDirectory(runDir(run.runId()));
        save(run);
    }

    /** Writes {@code run.json} atomically. */
    public void save(RunRecord run) throws IOException {
        writeAtomically(runDir(run.runId()).resolve(RUN_FILE), RunRecordJson.toPrettyString(run) + "\n");
    }

    /**
     * @throws IllegalArgumentException when there is no such run or its run.json cannot be read
     */
    public RunRecord load(String runId) throws IOException {
        Path file = runDir(runId).resolve(RUN_FILE);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no run '" + runId + "' under " + root + " (see aim runs)");
        }
        return RunRecordJson.parse(Files.readString(file), file.toString());
    }

    /** Every run with a readable run.json, oldest first; unreadable ones are reported through {@code problems}. */
    public List<RunRecord> list(List<String> problems) throws IOException {
        List<RunRecord> runs = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return runs;
        }
        try (Stream<Path> children = Files.list(root)) {
            for (Path dir : (Iterable<Path>) children.sorted()::iterator) {
                Path file = dir.resolve(RUN_FILE);
                if (Files.isRegularFile(file)) {
                    try {
                        runs.add(RunRecordJson.parse(Files.readString(file), file.toString()));
                    } catch (IllegalArgumentException e) {
                        problems.add(e.getMessage());
                    }
                }
            }
        }
        runs.sort(Comparator.comparingLong(RunRecord::createdAtMs).thenComparing(RunRecord::runId));
        return runs;
    }

    /**
     * Replaces {@code target} with {@code content} by writing a sibling temporary file and renaming it;
     * the rename is atomic on POSIX file systems.
     */
    public static void writeAtomically(Path target, String content) throws IOException {
        Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp-" + ProcessHandle.current().pid());
        Files.writeString(tmp, content, StandardCharsets.UTF_8);
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Run ids become folder and Kubernetes names: letters, digits, dots, dashes and underscores only. */
    static void requireRunId(String runId) {
        boolean ok = !runId.isEmpty() && runId.length() <= 128 && !runId.startsWith(".");
        for (int i = 0; ok && i < runId.length(); i++) {
            char c = runId.charAt(i);
            ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
                    || c == '.';
        }
        if (!ok) {
            throw new IllegalArgumentException("'" + runId + "' is not a run id (letters, digits, '.', '-', '_')");
        }
    }
}
