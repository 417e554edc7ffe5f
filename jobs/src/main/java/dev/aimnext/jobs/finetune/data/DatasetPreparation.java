package dev.aimnext.jobs.finetune.data;

import dev.aimnext.jobs.dataset.DatasetOptions;
import dev.aimnext.jobs.dataset.DatasetPrepJob;
import dev.aimnext.jobs.dataset.DatasetSpec;
import dev.aimnext.jobs.local.LocalFiles;
import dev.aimnext.operators.dataset.read.DatasetFileReader;
import dev.aimnext.operators.dataset.read.InputLocation;
import dev.aimnext.operators.dataset.stage.NoValidRowsException;
import dev.aimnext.operators.finetune.plan.PreparedDataset;
import dev.aimnext.operators.finetune.spec.DatasetInputFormat;
import dev.aimnext.operators.finetune.spec.FineTuningJobSpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The driver's data step: runs the dataset job ({@link DatasetPrepJob}) on a local Flink environment,
 * unless a prepared dataset with the same content hash is already in {@code RUNS_DIR/datasets/}.
 * The hash ({@link DatasetContentHash}) covers the input files' bytes and every preparation setting,
 * so a second run over the same data skips the job, and any change prepares afresh.
 *
 * <p>A spec with {@code format: prepared} names a folder the dataset job already wrote, and
 * {@code format: classification} is text/label JSONL the trainer reads as is; neither runs the job.
 */
public final class DatasetPreparation {

    /** Marks a finished folder in the cache; written last, so a folder without it is a leftover. */
    static final String MARKER = "prepared.json";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Path cacheDir;
    private final PrintStream out;

    /** @param cacheDir where prepared datasets are kept, one folder per content hash */
    public DatasetPreparation(Path cacheDir, PrintStream out) {
        this.cacheDir = cacheDir;
        this.out = out;
    }

    /**
     * The prepared dataset and how it was obtained.
     *
     * @param dir the dataset job's output folder (null for classification data, read as is)
     * @param reused it was found, not prepared now
     */
    public record Result(PreparedDataset dataset, Path dir, String inputHash, boolean reused) {

        /** What {@code run.json} keeps under {@code dataset}. */
        public ObjectNode toJson() {
            ObjectNode node = MAPPER.createObjectNode();
            node.put("dir", dir == null ? null : dir.toString());
            node.put("input_hash", inputHash);
            node.put("content_hash", dataset.contentHash());
            node.put("format", dataset.format());
            node.put("train", dataset.train().toString());
            node.put("eval", dataset.eval() == null ? null : dataset.eval().toString());
            node.put("reused", reused);
            return node;
        }
    }

    public Result prepare(FineTuningJobSpec.DatasetSource source) throws Exception {
        if (source.format() == DatasetInputFormat.PREPARED) {
            Path dir = Path.of(source.source());
            out.println("aim finetune: dataset already prepared in " + dir);
            return new Result(prepared(dir), dir, null, true);
        }
        if (source.format() == DatasetInputFormat.CLASSIFICATION) {
            Path file = Path.of(source.source());
            String hash = DatasetContentHash.of(List.of(file.toString()), Map.of());
            out.println("aim finetune: classification data " + file + " is read by the trainer as is");
            return new Result(new PreparedDataset(file, null, PreparedDataset.CLASSIFICATION_JSONL, hash), null, hash,
                    true);
        }
        List<String> inputs = inputFiles(source.source());
        Map<String, String> settings = settings(source, inputs);
        String hash = DatasetContentHash.of(inputs, settings);
        Path dir = cacheDir.resolve(hash.substring("sha256:".length(), "sha256:".length() + 16));
        if (Files.isRegularFile(dir.resolve(MARKER))
                && hash.equals(MAPPER.readTree(dir.resolve(MARKER).toFile()).path("input_hash").asText())) {
            out.println("aim finetune: dataset " + hash.substring(0, 19) + "... already prepared in " + dir
                    + "; not preparing again");
            return new Result(prepared(dir), dir, hash, true);
        }
        out.println("aim finetune: preparing " + inputs.size() + " input file(s) with the dataset job -> " + dir);
        Path work = cacheDir.resolve("." + dir.getFileName() + ".tmp-" + ProcessHandle.current().pid());
        LocalFiles.deleteRecursively(work);
        Files.createDirectories(work);
        Configuration config = DatasetSpec.configuration(settings, "spec.dataset.prepare");
        long start = System.nanoTime();
        int parallelism = Math.max(1, Math.min(inputs.size(), Math.min(4, Runtime.getRuntime().availableProcessors())));
        try {
            DatasetPrepJob.toFiles(inputs, DatasetOptions.settings(config), work)
                    .execute(StreamExecutionEnvironment.createLocalEnvironment(parallelism));
        } catch (Exception e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof NoValidRowsException) {
                    throw new IllegalArgumentException(t.getMessage() + "; see " + work.resolve("rejects.jsonl"), e);
                }
            }
            throw e;
        }
        ObjectNode marker = MAPPER.createObjectNode().put("input_hash", hash);
        marker.putPOJO("inputs", inputs);
        marker.set("settings", MAPPER.valueToTree(settings));
        Files.writeString(work.resolve(MARKER), MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(marker));
        LocalFiles.deleteRecursively(dir);
        Files.move(work, dir, StandardCopyOption.ATOMIC_MOVE);
        PreparedDataset dataset = prepared(dir);
        JsonNode manifest = MAPPER.readTree(dir.resolve("manifest.json").toFile());
        out.printf(Locale.ROOT, "aim finetune: dataset prepared in %.1f s: kept %d of %d rows (train %d, eval %d)%n",
                (System.nanoTime() - start) / 1e9, manifest.path("kept").asLong(), manifest.path("rows_in").asLong(),
                manifest.path("train").asLong(), manifest.path("eval").asLong());
        return new Result(dataset, dir, hash, false);
    }

    /** The dataset job's settings: the spec's {@code prepare} keys, with the inputs and output set here. */
    private static Map<String, String> settings(FineTuningJobSpec.DatasetSource source, List<String> inputs) {
        Map<String, String> values = new LinkedHashMap<>();
        source.prepare().forEach((k, v) -> {
            if (!k.equals("inputs") && !k.equals("output-dir")) {
                values.put("aim.dataset." + k, v);
            }
        });
        values.put(DatasetOptions.INPUTS.key(), String.join(";", inputs));
        if (source.format() != DatasetInputFormat.AUTO) {
            values.put(DatasetOptions.FORMAT.key(), source.format().id());
        }
        return values;
    }

    /** The trainer's view of a dataset job output folder: parquet when it holds token ids, else messages JSONL. */
    static PreparedDataset prepared(Path dir) throws IOException {
        JsonNode manifest = MAPPER.readTree(dir.resolve("manifest.json").toFile());
        String hash = manifest.path("dataset_hash").asText(null);
        boolean parquet = Files.isRegularFile(dir.resolve("train.parquet"));
        String ext = parquet ? ".parquet" : ".jsonl";
        Path eval = dir.resolve("eval" + ext);
        boolean hasEval = Files.isRegularFile(eval) && manifest.path("eval").asLong(1) > 0;
        return new PreparedDataset(dir.resolve("train" + ext), hasEval ? eval : null,
                parquet ? PreparedDataset.TOKENIZED_PARQUET : PreparedDataset.JSONL, hash);
    }

    /** A file, or a folder's dataset files sorted by name, or a URI passed through for Flink's file systems. */
    static List<String> inputFiles(String source) throws IOException {
        if (InputLocation.isUri(source)) {
            return List.of(source);
        }
        Path path = Path.of(source);
        if (!Files.isDirectory(path)) {
            return List.of(path.toString());
        }
        List<String> files = new ArrayList<>();
        try (Stream<Path> list = Files.list(path)) {
            list.filter(Files::isRegularFile).filter(f -> DatasetFileReader.accepts(f.getFileName().toString()))
                    .map(Path::toString).sorted().forEach(files::add);
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no " + String.join(", ", DatasetFileReader.EXTENSIONS)
                    + " files in " + path);
        }
        return files;
    }
}
