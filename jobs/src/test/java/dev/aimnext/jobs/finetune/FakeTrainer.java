package dev.aimnext.jobs.finetune;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

/**
 * A small real trainer that speaks docs/FINETUNE-PROTOCOL.md: it reads the trainer config, emits
 * event lines, writes checkpoints in the protocol's layout (manifest last, last K plus the best
 * kept), resumes from {@code resume_from} and answers SIGTERM with a checkpoint and exit 75.
 *
 * <p>Its loss curve is deterministic: {@code 2.0 * exp(-step / 200)} plus noise from a generator
 * seeded with the config's seed whose state is saved in every checkpoint ({@code rng_state.pth}), so
 * a run resumed from the right checkpoint reproduces the uninterrupted curve exactly, and one resumed
 * from the wrong place does not.
 *
 * <p>Failure injection by environment, each once per run (a marker file in the run folder):
 * {@code AIM_FAKE_CRASH_AT_STEP} (leaves a half-written checkpoint, then exits 1),
 * {@code AIM_FAKE_STALL_AT_STEP} (goes silent), {@code AIM_FAKE_WAIT_AT_STEP} (logs a line every
 * 50 ms until SIGTERM). {@code AIM_FAKE_STEP_MS} is the time per step (default 2).
 */
public final class FakeTrainer {

    private static final Set<String> KEYS = Set.of("run_id", "task", "base_model", "method", "dataset",
            "hyperparameters", "lora", "qlora", "run_dir", "resume_from", "checkpoint", "eval_every_steps",
            "log_every_steps");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final PrintStream OUT = System.out;

    private final JsonNode config;
    private final String runId;
    private final Path runDir;
    private final long total;
    private final int logEvery;
    private final int evalEvery;
    private final int checkpointEvery;
    private final int keepLast;
    private final boolean keepBest;
    private final long stepMillis = env("AIM_FAKE_STEP_MS", 2);
    private volatile boolean stopRequested;
    private final CountDownLatch savedForPause = new CountDownLatch(1);
    private long step;
    private long rng;
    private double bestEval = Double.MAX_VALUE;
    private long bestStep = -1;

    private FakeTrainer(JsonNode config) throws IOException {
        this.config = config;
        this.runId = config.path("run_id").asText();
        this.runDir = Path.of(config.path("run_dir").asText());
        JsonNode hp = config.path("hyperparameters");
        long maxSteps = hp.path("max_steps").asLong(0);
        if (maxSteps > 0) {
            total = maxSteps;
        } else {
            long rows;
            try (Stream<String> lines = Files.lines(Path.of(config.path("dataset").path("train").asText()))) {
                rows = lines.count();
            }
            long perStep = (long) hp.path("micro_batch_size").asInt(1) * hp.path("gradient_accumulation_steps").asInt(1);
            total = hp.path("epochs").asLong(1) * Math.max(1, (rows + perStep - 1) / perStep);
        }
        logEvery = config.path("log_every_steps").asInt(1);
        evalEvery = config.path("eval_every_steps").asInt(10);
        checkpointEvery = config.path("checkpoint").path("every_steps").asInt(10);
        keepLast = config.path("checkpoint").path("keep_last").asInt(2);
        keepBest = config.path("checkpoint").path("keep_best").asBoolean(true);
        rng = initialRng(hp.path("seed").asLong(42));
    }

    /**
     * The command line that runs this trainer in a fresh JVM, for {@code --trainer-command}: its own
     * classes and Jackson's jars, with {@code env} setting the failure injection variables.
     */
    public static String commandLine(Map<String, String> environment, String... extraArgs) {
        StringBuilder cmd = new StringBuilder();
        if (!environment.isEmpty()) {
            cmd.append("env");
            new TreeMap<>(environment).forEach((k, v) -> cmd.append(' ').append(k).append('=').append(v));
            cmd.append(' ');
        }
        String classpath = Stream.of(FakeTrainer.class, ObjectMapper.class, com.fasterxml.jackson.core.JsonParser.class,
                        com.fasterxml.jackson.annotation.JsonProperty.class)
                .map(FakeTrainer::location).distinct().reduce((a, b) -> a + java.io.File.pathSeparator + b).orElseThrow();
        cmd.append(Path.of(System.getProperty("java.home"), "bin", "java")).append(" -Xshare:auto -XX:TieredStopAtLevel=1")
                .append(" -cp ").append(classpath).append(' ').append(FakeTrainer.class.getName());
        for (String a : extraArgs) {
            cmd.append(' ').append(a);
        }
        return cmd.toString();
    }

    private static String location(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2 || !args[0].equals("--config")) {
            System.err.println("usage: FakeTrainer --config FILE");
            Runtime.getRuntime().halt(2);
        }
        JsonNode config = JSON.readTree(Path.of(args[1]).toFile());
        for (Iterator<String> it = config.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!KEYS.contains(key)) {
                System.err.println("config error: unknown key '" + key + "'");
                Runtime.getRuntime().halt(2);
            }
        }
        if (!config.path("run_id").isTextual() || !config.path("run_dir").isTextual()) {
            System.err.println("config error: run_id and run_dir are required");
            Runtime.getRuntime().halt(2);
        }
        new FakeTrainer(config).train();
    }

    private void train() throws Exception {
        String started = "fresh start";
        JsonNode resume = config.path("resume_from");
        if (resume.isTextual()) {
            Path from = Path.of(resume.asText());
            JsonNode state = JSON.readTree(from.resolve("trainer_state.json").toFile());
            step = state.path("step").asLong();
            bestEval = state.path("best_eval_loss").isNumber() ? state.get("best_eval_loss").asDouble() : Double.MAX_VALUE;
            bestStep = state.path("best_step").asLong(-1);
            rng = Long.parseLong(Files.readString(from.resolve("rng_state.pth")).trim());
            started = "resumed from " + from.getFileName();
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopRequested = true;
            try {
                savedForPause.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            OUT.flush();
            Runtime.getRuntime().halt(75);
        }));
        System.err.println("fake trainer: loading " + config.path("base_model").path("model_id").asText("model"));
        emit(event("STARTED").put("message", started).put("total_steps", total));
        while (step < total) {
            if (stopRequested) {
                pause();
            }
            step++;
            Thread.sleep(stepMillis);
            double loss = 2.0 * Math.exp(-step / 200.0) + noise();
            if (step % logEvery == 0 || step == total) {
                emit(event("STEP").put("loss", loss).put("learning_rate", 2e-4 * (1 - (double) step / total))
                        .put("grad_norm", 1.0 / (1 + step / 100.0)).put("tokens_per_sec", 5120.0)
                        .put("gpu_memory_bytes", 1L << 30).put("eta_sec", (total - step) * stepMillis / 1000.0));
            }
            injectFailures();
            if (step % evalEvery == 0 || step == total) {
                double evalLoss = 1.0 + 0.5 * Math.pow((double) step / total - 0.6, 2);
                emit(event("EVAL").put("eval_loss", evalLoss));
                if (evalLoss < bestEval) {
                    bestEval = evalLoss;
                    bestStep = step;
                }
            }
            if (step % checkpointEvery == 0 || step == total) {
                checkpoint();
            }
        }
        Path last = runDir.resolve("checkpoint-" + step);
        Path fin = runDir.resolve("final");
        Files.createDirectories(fin.resolve("adapter"));
        for (String f : List.of("adapter/adapter_model.safetensors", "adapter/adapter_config.json")) {
            Files.copy(last.resolve(f), fin.resolve(f), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        emit(event("COMPLETED").put("checkpoint_path", fin.toString()));
        OUT.flush();
        Runtime.getRuntime().halt(0);
    }

    /** Saves a checkpoint at the current step (unless there is one), then lets the shutdown hook exit 75. */
    private void pause() throws Exception {
        System.err.println("fake trainer: SIGTERM, saving a checkpoint at step " + step);
        if (!Files.isRegularFile(runDir.resolve("checkpoint-" + step).resolve("manifest.json"))) {
            checkpoint();
        }
        savedForPause.countDown();
        Thread.sleep(Long.MAX_VALUE);
    }

    private void injectFailures() throws Exception {
        if (step == env("AIM_FAKE_CRASH_AT_STEP", -1) && once("crashed")) {
            Path partial = runDir.resolve("checkpoint-" + step);
            Files.createDirectories(partial.resolve("adapter"));
            Files.writeString(partial.resolve("adapter/adapter_model.safetensors"), "half written");
            System.err.println("Traceback (most recent call last):\nRuntimeError: fake crash at step " + step);
            Runtime.getRuntime().halt(1);
        }
        if (step == env("AIM_FAKE_STALL_AT_STEP", -1) && once("stalled")) {
            Thread.sleep(Long.MAX_VALUE); // silent, and deaf to SIGTERM like a hung collective
        }
        if (step == env("AIM_FAKE_WAIT_AT_STEP", -1) && once("waited")) {
            while (!stopRequested) {
                OUT.println("fake trainer: waiting at step " + step);
                Thread.sleep(50);
            }
            pause();
        }
    }

    private boolean once(String what) throws IOException {
        Path marker = runDir.resolve(".fake-" + what + "-" + step);
        if (Files.exists(marker)) {
            return false;
        }
        Files.writeString(marker, "");
        return true;
    }

    private void checkpoint() throws Exception {
        Path dir = runDir.resolve("checkpoint-" + step);
        Files.createDirectories(dir.resolve("adapter"));
        Map<String, String> files = new TreeMap<>();
        write(dir, "adapter/adapter_model.safetensors", "weights of " + runId + " at step " + step, files);
        write(dir, "adapter/adapter_config.json", "{\"r\": " + config.path("lora").path("rank").asInt(16) + "}", files);
        write(dir, "optimizer.pt", "adam moments " + step, files);
        write(dir, "scheduler.pt", "cosine " + step, files);
        write(dir, "rng_state.pth", Long.toString(rng), files);
        ObjectNode state = JSON.createObjectNode().put("step", step).put("epoch", epoch()).put("samples_seen", step * 4)
                .put("best_eval_loss", bestEval == Double.MAX_VALUE ? null : bestEval).put("best_step", bestStep)
                .put("seed", config.path("hyperparameters").path("seed").asLong(42));
        write(dir, "trainer_state.json", JSON.writeValueAsString(state), files);
        ObjectNode manifest = JSON.createObjectNode().put("step", step).put("complete", true);
        files.forEach(manifest.putObject("files")::put);
        Files.writeString(dir.resolve("manifest.json"), JSON.writeValueAsString(manifest));
        emit(event("CHECKPOINT").put("checkpoint_path", dir.toString()));
        prune();
    }

    /** Keeps the last {@code keep_last} complete checkpoints plus the best by eval loss. */
    private void prune() throws IOException {
        List<Long> steps = new ArrayList<>();
        try (Stream<Path> children = Files.list(runDir)) {
            children.filter(p -> p.getFileName().toString().matches("checkpoint-\\d+"))
                    .filter(p -> Files.exists(p.resolve("manifest.json")))
                    .forEach(p -> steps.add(Long.parseLong(p.getFileName().toString().substring(11))));
        }
        steps.sort(null);
        for (int i = 0; i < steps.size() - keepLast; i++) {
            if (!(keepBest && steps.get(i) == bestStep)) {
                deleteTree(runDir.resolve("checkpoint-" + steps.get(i)));
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static void write(Path dir, String name, String content, Map<String, String> files) throws Exception {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        Files.write(dir.resolve(name), bytes);
        files.put(name, "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
    }

    /** Uniform noise in [-0.01, 0.01) from xorshift64, whose state is the checkpoint's rng_state. */
    private double noise() {
        rng = xorshift(rng);
        return noiseOf(rng);
    }

    private static long xorshift(long x) {
        x ^= x << 13;
        x ^= x >>> 7;
        x ^= x << 17;
        return x;
    }

    private static double noiseOf(long state) {
        return ((state >>> 11) * 0x1.0p-53 - 0.5) * 0.02;
    }

    private static long initialRng(long seed) {
        return seed * 0x9E3779B97F4A7C15L + 1;
    }

    /** The loss of every step, 1 to {@code steps}, of an uninterrupted run with this seed. */
    public static double[] uninterruptedLossCurve(long seed, int steps) {
        double[] curve = new double[steps + 1];
        long state = initialRng(seed);
        for (int step = 1; step <= steps; step++) {
            state = xorshift(state);
            curve[step] = 2.0 * Math.exp(-step / 200.0) + noiseOf(state);
        }
        return curve;
    }

    private double epoch() {
        return config.path("hyperparameters").path("epochs").asDouble(1) * step / total;
    }

    private ObjectNode event(String kind) {
        return JSON.createObjectNode().put("aim_event", kind).put("run_id", runId).put("step", step)
                .put("epoch", epoch()).put("emitted_at_ms", System.currentTimeMillis());
    }

    private void emit(ObjectNode event) throws IOException {
        String line = JSON.writeValueAsString(event);
        Files.writeString(runDir.resolve("events.jsonl"), line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        OUT.println(line);
    }

    private static long env(String name, long fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : Long.parseLong(v.trim());
    }
}
