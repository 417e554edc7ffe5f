package dev.aimnext.jobs.cli;

import dev.aimnext.jobs.finetune.FakeTrainer;
import dev.aimnext.jobs.finetune.data.DatasetPreparation;
import dev.aimnext.jobs.finetune.driver.PauseSignal;
import dev.aimnext.jobs.local.AimTopics;
import dev.aimnext.jobs.local.PortCheck;
import dev.aimnext.jobs.testing.KafkaBrokerExtension;
import dev.aimnext.jobs.testing.PrometheusText;
import dev.aimnext.jobs.testing.TopicReader;
import dev.aimnext.operators.finetune.spec.DatasetInputFormat;
import dev.aimnext.operators.finetune.spec.FineTuningJobSpec;
import dev.aimnext.schemas.codec.AvroEventCodec;
import dev.aimnext.schemas.event.TrainingEvent;
import dev.aimnext.schemas.event.TrainingEventKind;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code aim finetune} end to end against {@link FakeTrainer}, a real subprocess speaking the
 * protocol: dataset job → plan → launch → events → checkpoints → profile, and the failure paths
 * (crash, stall, pause, bad config). Every run of the class shares one runs folder, so the dataset
 * job runs once and later runs find it by content hash.
 */
class FinetuneDriverITCase {

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    private static final Path DATASET = Path.of("../operators/src/test/resources/datasets/finetune/alpaca_llamafactory_identity.json");
    private static final Path MODEL_CONFIG = Path.of("../operators/src/test/resources/finetune/model-configs/llama-3.1-8b.json");
    private static final int STEPS = 60;
    private static final long SEED = 7;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path root;

    private static Path runsDir;
    private static Path modelDir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    @BeforeAll
    static void modelAndRunsFolder() throws IOException {
        runsDir = root.resolve("runs");
        modelDir = root.resolve("model");
        Files.createDirectories(modelDir);
        Files.copy(MODEL_CONFIG, modelDir.resolve("config.json"));
        try (var in = FinetuneDriverITCase.class.getClassLoader().getResourceAsStream("all-minilm-l6-v2-q-tokenizer.json")) {
            Files.copy(in, modelDir.resolve("tokenizer.json"));
        }
    }

    @Test
    void aRunGoesFromSpecToProfileAndPublishesItsEvents() throws Exception {
        KAFKA.createTopics(List.of(AimTopics.TRAINING_EVENTS), 1);
        Path output = root.resolve("out-plain");

        int code = finetune(spec("plain", output), Map.of(), "--bootstrap-servers", KAFKA.bootstrapServers());

        assertThat(code).as(console()).isZero();
        assertThat(console()).contains("Training plan:", "aim finetune: attempt 1 (local) from the start",
                "step 60/60 (100%)", "COMPLETED: final adapter copied to " + output);
        Path runDir = onlyRun("plain");
        JsonNode run = runJson(runDir);
        assertThat(run.path("state").asText()).isEqualTo("COMPLETED");
        assertThat(run.path("attempts")).hasSize(1);
        assertThat(run.path("attempts").get(0).path("outcome").asText()).isEqualTo("completed");
        assertThat(run.path("dataset").path("format").asText()).isEqualTo("jsonl");
        assertThat(run.path("plan").path("micro_batch_size").asInt()).isPositive();
        assertThat(lossCurve(runDir)).isEqualTo(expectedCurve());

        // keep the last 2 plus the best by eval loss (the fake's eval loss is lowest at step 40)
        assertThat(checkpointSteps(runDir)).containsExactly(40L, 50L, 60L);
        assertThat(run.path("progress").path("best_checkpoint").asText()).endsWith("checkpoint-40");

        assertThat(output.resolve("adapter/adapter_model.safetensors")).hasContent("weights of "
                + runDir.getFileName() + " at step 60");
        JsonNode profile = JSON.readTree(output.resolve("aim-profile.json").toFile());
        assertThat(profile.path("model_id").asText()).isEqualTo("plain");
        assertThat(profile.path("finetuning").path("base_model").asText()).isEqualTo("meta-llama/Llama-3.1-8B-Instruct");
        assertThat(profile.path("finetuning").path("method").asText()).isEqualTo("lora");
        assertThat(profile.path("finetuning").path("checkpoint").asText()).isEqualTo(output.toUri().toString());
        assertThat(profile.path("memory").path("serving").path("vllm_args").toString()).contains("--enable-lora");
        assertThat(runDir.resolve("aim-profile.json")).exists();

        List<String> eventLines = Files.readAllLines(runDir.resolve("events.jsonl"));
        List<TrainingEvent> published = new ArrayList<>();
        try (TopicReader reader = new TopicReader(KAFKA.bootstrapServers(), List.of(AimTopics.TRAINING_EVENTS))) {
            AvroEventCodec<TrainingEvent> codec = AvroEventCodec.of(TrainingEvent.class);
            for (ConsumerRecord<byte[], byte[]> r : reader.readUntil(rs -> rs.size() >= eventLines.size(),
                    Duration.ofSeconds(60))) {
                assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo(runDir.getFileName().toString());
                published.add(codec.decode(r.value()));
            }
        }
        assertThat(published).hasSize(eventLines.size());
        assertThat(published.get(0).getKind()).isEqualTo(TrainingEventKind.STARTED);
        assertThat(published.get(published.size() - 1).getKind()).isEqualTo(TrainingEventKind.COMPLETED);
        assertThat(published).filteredOn(e -> e.getKind() == TrainingEventKind.STEP).hasSize(STEPS)
                .allSatisfy(e -> assertThat(e.getLoss()).isEqualTo(expectedCurve().get(e.getStep())));
        assertThat(published).filteredOn(e -> e.getKind() == TrainingEventKind.CHECKPOINT).hasSize(6);
        assertThat(console()).contains(eventLines.size() + " TrainingEvents published, 0 not delivered");
    }

    @Test
    void aCrashIsRetriedFromTheLastCompleteCheckpointAndTheCurveIsUnchanged() throws Exception {
        int code = finetune(spec("crash", root.resolve("out-crash")), Map.of("AIM_FAKE_CRASH_AT_STEP", "25"));

        assertThat(code).as(console()).isZero();
        Path runDir = onlyRun("crash");
        JsonNode attempts = runJson(runDir).path("attempts");
        assertThat(attempts).hasSize(2);
        assertThat(attempts.get(0).path("outcome").asText()).isEqualTo("crashed (exit 1)");
        assertThat(attempts.get(0).path("last_step").asLong()).isEqualTo(25);
        // checkpoint-25 was left half-written by the crash: the retry must start from checkpoint-20
        assertThat(attempts.get(1).path("resumed_from").asText()).isEqualTo(runDir.resolve("checkpoint-20").toString());
        assertThat(console()).contains("RuntimeError: fake crash at step 25",
                "attempt 1 crashed (exit 1) at step 25; retry 1 of 2", "trainer started: resumed from checkpoint-20");
        assertThat(lossCurve(runDir)).isEqualTo(expectedCurve());
        assertThat(everyLossEmitted(runDir)).as("replayed steps 21-25 repeat their losses exactly")
                .allSatisfy((step, losses) -> assertThat(losses).containsOnly(expectedCurve().get(step)));

        out.reset();
        assertThat(AimCli.run(new String[] {"runs", "--runs-dir", runsDir.toString()}, stream(), stream())).isZero();
        List<String> listing = listingOf(runDir.getFileName().toString());
        assertThat(listing.get(0)).contains("COMPLETED", "60/60");
        assertThat(listing).anySatisfy(l -> assertThat(l).contains("checkpoint-25", "incomplete: no manifest.json "
                + "(saving did not finish)"));
        assertThat(listing).anySatisfy(l -> assertThat(l).contains("checkpoint-40", "complete (best eval loss"));
    }

    @Test
    void aStalledTrainerIsKilledAndRetried() throws Exception {
        int code = finetune(spec("stall", root.resolve("out-stall")), Map.of("AIM_FAKE_STALL_AT_STEP", "15"),
                "--stall-timeout", "3s");

        assertThat(code).as(console()).isZero();
        Path runDir = onlyRun("stall");
        JsonNode attempts = runJson(runDir).path("attempts");
        assertThat(attempts).hasSize(2);
        assertThat(attempts.get(0).path("outcome").asText()).isEqualTo("stalled (killed)");
        assertThat(attempts.get(1).path("resumed_from").asText()).endsWith("checkpoint-10");
        assertThat(console()).contains("no output from the trainer for 3 s; killing the attempt");
        assertThat(lossCurve(runDir)).isEqualTo(expectedCurve());
    }

    @Test
    void aPausedRunExits75AndResumesToCompletionWhileServingItsGauges() throws Exception {
        int metricsPort = PortCheck.freePort();
        PauseSignal pause = new PauseSignal();
        ExecutorService driver = Executors.newSingleThreadExecutor();
        Future<Integer> paused;
        String exposition;
        try {
            Path spec = spec("pause", root.resolve("out-pause"));
            String[] args = args(spec, Map.of("AIM_FAKE_WAIT_AT_STEP", "20"), "--metrics-port",
                    Integer.toString(metricsPort));
            paused = driver.submit(() -> new FinetuneCommand(args, stream(), pause).run());
            // the fake trainer holds at step 20 until it is told to pause, so the gauges stand still there
            exposition = awaitMetrics(metricsPort, m -> Double.valueOf(20).equals(value(m, "aim_finetune_step")));
            pause.request();
            assertThat(paused.get(120, TimeUnit.SECONDS)).as(console()).isEqualTo(75);
        } finally {
            driver.shutdownNow();
        }
        Path runDir = onlyRun("pause");
        String runId = runDir.getFileName().toString();
        PrometheusText metrics = PrometheusText.parse(exposition);
        assertThat(metrics.value("aim_finetune_step", "run_id", runId)).isEqualTo(20.0);
        assertThat(metrics.value("aim_finetune_total_steps", "run_id", runId)).isEqualTo(60.0);
        assertThat(metrics.value("aim_finetune_loss", "run_id", runId)).isEqualTo(expectedCurve().get(20L));
        assertThat(metrics.value("aim_finetune_attempt", "run_id", runId)).isEqualTo(1.0);
        assertThat(metrics.value("aim_finetune_state", "run_id", runId, "state", "RUNNING")).isEqualTo(1.0);
        assertThat(metrics.types()).containsKeys("aim_finetune_eval_loss", "aim_finetune_learning_rate",
                "aim_finetune_grad_norm", "aim_finetune_tokens_per_second", "aim_finetune_gpu_memory_bytes",
                "aim_finetune_eta_seconds");
        assertThat(metrics.value("aim_finetune_gpu_memory_bytes", "run_id", runId)).isEqualTo((double) (1L << 30));

        JsonNode run = runJson(runDir);
        assertThat(run.path("state").asText()).isEqualTo("PAUSED");
        assertThat(run.path("message").asText()).contains("paused (exit 75)", "aim finetune resume " + runId);
        assertThat(checkpointSteps(runDir)).contains(20L);

        out.reset();
        int resumed = AimCli.run(new String[] {"finetune", "resume", runId, "--runs-dir", runsDir.toString(),
                "--metrics-port", "0"}, stream(), stream());

        assertThat(resumed).as(console()).isZero();
        run = runJson(runDir);
        assertThat(run.path("state").asText()).isEqualTo("COMPLETED");
        assertThat(run.path("attempts")).hasSize(2);
        assertThat(run.path("attempts").get(1).path("resumed_from").asText()).endsWith("checkpoint-20");
        assertThat(lossCurve(runDir)).isEqualTo(expectedCurve());
        assertThat(root.resolve("out-pause/aim-profile.json")).exists();
    }

    @Test
    void sigtermToTheTrainerPausesTheRun() throws Exception {
        ExecutorService driver = Executors.newSingleThreadExecutor();
        try {
            String[] args = args(spec("sigterm", root.resolve("out-sigterm")), Map.of("AIM_FAKE_WAIT_AT_STEP", "30"));
            Future<Integer> run = driver.submit(() -> new FinetuneCommand(args, stream()).run());
            await(() -> trainer().isPresent() && console().contains("fake trainer: waiting at step 30"));
            trainer().orElseThrow().destroy(); // SIGTERM, as a node drain or the Kubernetes backend would send

            assertThat(run.get(120, TimeUnit.SECONDS)).as(console()).isEqualTo(75);
        } finally {
            driver.shutdownNow();
        }
        JsonNode run = runJson(onlyRun("sigterm"));
        assertThat(run.path("state").asText()).isEqualTo("PAUSED");
        assertThat(run.path("attempts").get(0).path("exit_code").asInt()).isEqualTo(75);
        assertThat(checkpointSteps(onlyRun("sigterm"))).contains(30L);
    }

    @Test
    void aTrainerThatRejectsItsConfigFailsWithoutRetries() throws Exception {
        String[] args = {"finetune", "--spec", spec("badconfig", root.resolve("out-bad")).toString(),
                "--runs-dir", runsDir.toString(), "--metrics-port", "0",
                "--trainer-command", FakeTrainer.commandLine(Map.of(), "--unexpected")};

        int code = AimCli.run(args, stream(), stream());

        assertThat(code).as(console()).isEqualTo(1);
        JsonNode run = runJson(onlyRun("badconfig"));
        assertThat(run.path("state").asText()).isEqualTo("FAILED");
        assertThat(run.path("attempts")).hasSize(1);
        assertThat(run.path("message").asText()).contains("rejected its config (exit 2)", "not retried");
        assertThat(console()).contains("usage: FakeTrainer --config FILE");
    }

    @Test
    void theDatasetJobRunsOnceAndIsFoundByContentHashAfterwards() throws Exception {
        Path cache = root.resolve("dataset-cache");
        FineTuningJobSpec.DatasetSource source = new FineTuningJobSpec.DatasetSource(
                DATASET.toAbsolutePath().normalize().toString(), DatasetInputFormat.ALPACA,
                Map.of("pii-scrub", "false", "near-dup-threshold", "0", "eval-fraction", "0.1"));
        DatasetPreparation preparation = new DatasetPreparation(cache, stream());

        DatasetPreparation.Result first = preparation.prepare(source);
        DatasetPreparation.Result second = preparation.prepare(source);
        DatasetPreparation.Result otherSettings = preparation.prepare(new FineTuningJobSpec.DatasetSource(
                source.source(), source.format(), Map.of("pii-scrub", "false", "near-dup-threshold", "0",
                        "eval-fraction", "0.2")));

        assertThat(first.reused()).isFalse();
        assertThat(second.reused()).isTrue();
        assertThat(second.dir()).isEqualTo(first.dir());
        assertThat(second.dataset()).isEqualTo(first.dataset());
        assertThat(first.dataset().format()).isEqualTo("jsonl");
        assertThat(first.dataset().contentHash()).startsWith("sha256:");
        JsonNode manifest = JSON.readTree(first.dir().resolve("manifest.json").toFile());
        assertThat(manifest.path("rows_in").asLong()).isEqualTo(91);
        assertThat(Files.readAllLines(first.dataset().train())).hasSize(manifest.path("train").asInt()).isNotEmpty();
        assertThat(Files.readAllLines(first.dataset().eval())).hasSize(manifest.path("eval").asInt()).isNotEmpty();
        assertThat(otherSettings.reused()).isFalse();
        assertThat(otherSettings.dir()).isNotEqualTo(first.dir());
        assertThat(console()).containsOnlyOnce("already prepared in " + first.dir());
    }

    @Test
    void badOptionsAreOneLineErrors() {
        assertThat(AimCli.run(new String[] {"finetune"}, stream(), stream())).isEqualTo(2);
        assertThat(console()).contains("aim: finetune needs --spec job.yaml");
        assertThat(AimCli.run(new String[] {"finetune", "resume", "nope", "--runs-dir", runsDir.toString()},
                stream(), stream())).isEqualTo(2);
        assertThat(console()).contains("aim: no run 'nope' under");
        assertThat(AimCli.run(new String[] {"finetune", "--spec", "x.yaml", "--stall-timeout", "soon"}, stream(),
                stream())).isEqualTo(2);
        assertThat(console()).contains("--stall-timeout must be a duration");
    }

    // --- helpers --------------------------------------------------------------------------------

    private int finetune(Path spec, Map<String, String> env, String... more) {
        return AimCli.run(args(spec, env, more), stream(), stream());
    }

    private String[] args(Path spec, Map<String, String> env, String... more) {
        List<String> args = new ArrayList<>(List.of("finetune", "--spec", spec.toString(), "--runs-dir",
                runsDir.toString(), "--trainer-command", FakeTrainer.commandLine(env), "--retries", "2"));
        if (!List.of(more).contains("--metrics-port")) {
            args.addAll(List.of("--metrics-port", "0"));
        }
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    private static Path spec(String name, Path output) throws IOException {
        Path spec = root.resolve(name + ".yaml");
        Files.writeString(spec, String.join("\n",
                "apiVersion: aim.amd.com/v1alpha1",
                "kind: FineTuningJob",
                "metadata:",
                "  name: " + name,
                "spec:",
                "  baseModel:",
                "    modelId: meta-llama/Llama-3.1-8B-Instruct",
                "    path: " + modelDir,
                "  method: lora",
                "  dataset:",
                "    source: " + DATASET.toAbsolutePath().normalize(),
                "    format: alpaca",
                "    prepare:",
                "      pii-scrub: false",
                "      near-dup-threshold: 0",
                "      eval-fraction: 0.1",
                "  hyperparameters:",
                "    learningRate: 2.0e-4",
                "    batchSize: 8",
                "    maxSeqLen: 2048",
                "    maxSteps: " + STEPS,
                "    evalEverySteps: 10",
                "    logEverySteps: 1",
                "    seed: " + SEED,
                "  output:",
                "    path: " + output,
                "  resources:",
                "    gpuMemoryGb: 48",
                "  checkpoint:",
                "    everySteps: 10",
                "    keepLast: 2",
                "    keepBest: true",
                ""));
        return spec;
    }

    private PrintStream stream() {
        return new PrintStream(out, true, StandardCharsets.UTF_8);
    }

    private String console() {
        return out.toString(StandardCharsets.UTF_8);
    }

    /** The {@code aim runs} lines of one run: its row, then its checkpoint lines. */
    private List<String> listingOf(String runId) {
        List<String> lines = console().lines().toList();
        List<String> mine = new ArrayList<>();
        for (String line : lines) {
            if (line.startsWith(runId + " ")) {
                mine.add(line);
            } else if (!mine.isEmpty() && line.startsWith("    ")) {
                mine.add(line);
            } else if (!mine.isEmpty()) {
                break;
            }
        }
        assertThat(mine).as(console()).isNotEmpty();
        return mine;
    }

    private static Path onlyRun(String name) throws IOException {
        try (Stream<Path> runs = Files.list(runsDir)) {
            List<Path> matching = runs.filter(p -> p.getFileName().toString().startsWith(name + "-")).toList();
            assertThat(matching).hasSize(1);
            return matching.get(0);
        }
    }

    private static JsonNode runJson(Path runDir) throws IOException {
        return JSON.readTree(runDir.resolve("run.json").toFile());
    }

    private static Map<Long, Double> expectedCurve() {
        double[] curve = FakeTrainer.uninterruptedLossCurve(SEED, STEPS);
        Map<Long, Double> map = new TreeMap<>();
        for (int step = 1; step <= STEPS; step++) {
            map.put((long) step, curve[step]);
        }
        return map;
    }

    /** Step → loss from events.jsonl; a step replayed after a resume keeps its last value. */
    private static Map<Long, Double> lossCurve(Path runDir) throws IOException {
        Map<Long, Double> curve = new TreeMap<>();
        everyLossEmitted(runDir).forEach((step, losses) -> curve.put(step, losses.get(losses.size() - 1)));
        return curve;
    }

    private static Map<Long, List<Double>> everyLossEmitted(Path runDir) throws IOException {
        Map<Long, List<Double>> all = new TreeMap<>();
        for (String line : Files.readAllLines(runDir.resolve("events.jsonl"))) {
            JsonNode e = JSON.readTree(line);
            if (e.path("aim_event").asText().equals("STEP")) {
                all.computeIfAbsent(e.path("step").asLong(), s -> new ArrayList<>()).add(e.path("loss").asDouble());
            }
        }
        return all;
    }

    /** Steps of the complete checkpoints (with a manifest) in the run folder. */
    private static List<Long> checkpointSteps(Path runDir) throws IOException {
        try (Stream<Path> children = Files.list(runDir)) {
            return children.filter(p -> p.getFileName().toString().startsWith("checkpoint-"))
                    .filter(p -> Files.exists(p.resolve("manifest.json")))
                    .map(p -> Long.parseLong(p.getFileName().toString().substring("checkpoint-".length())))
                    .sorted().toList();
        }
    }

    private static Optional<ProcessHandle> trainer() {
        return ProcessHandle.current().children()
                .filter(p -> p.info().commandLine().orElse("").contains(FakeTrainer.class.getName()))
                .findFirst();
    }

    private static Double value(PrometheusText metrics, String name) {
        return metrics.samples().entrySet().stream().filter(e -> e.getKey().startsWith(name + "{"))
                .map(Map.Entry::getValue).findFirst().orElse(null);
    }

    /** Scrapes until {@code done} holds (the endpoint only exists while the driver runs). */
    private static String awaitMetrics(int port, java.util.function.Predicate<PrometheusText> done) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String[] last = {""};
        await(() -> {
            try {
                last[0] = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                return done.test(PrometheusText.parse(last[0]));
            } catch (IOException e) {
                return false; // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        });
        return last[0];
    }

    /** Waits for a condition; the deadline only turns a hang into a failure, it is not what is tested. */
    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition not reached in 120 s").isLessThan(deadline);
            Thread.sleep(50);
        }
    }
}
