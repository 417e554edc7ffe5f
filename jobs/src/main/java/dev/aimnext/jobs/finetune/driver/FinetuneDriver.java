package dev.aimnext.jobs.finetune.driver;

import dev.aimnext.jobs.collector.MetricsEndpoint;
import dev.aimnext.jobs.finetune.data.DatasetPreparation;
import dev.aimnext.jobs.finetune.follow.ProgressLine;
import dev.aimnext.jobs.finetune.follow.TrainingEventPublisher;
import dev.aimnext.jobs.finetune.follow.TrainingMetrics;
import dev.aimnext.jobs.finetune.k8s.KubernetesTrainerBackend;
import dev.aimnext.jobs.finetune.launch.LocalProcessBackend;
import dev.aimnext.jobs.finetune.launch.TrainerBackend;
import dev.aimnext.jobs.finetune.store.RunStore;
import dev.aimnext.jobs.local.LocalStackException;
import dev.aimnext.jobs.local.PortCheck;
import dev.aimnext.operators.finetune.plan.TrainerConfigWriter;
import dev.aimnext.operators.finetune.plan.TrainingPlan;
import dev.aimnext.operators.finetune.plan.TrainingSizer;
import dev.aimnext.operators.finetune.run.RetryPolicy;
import dev.aimnext.operators.finetune.run.RunRecord;
import dev.aimnext.operators.finetune.run.RunState;
import dev.aimnext.operators.finetune.spec.FineTuningJobParser;
import dev.aimnext.operators.finetune.spec.FineTuningJobSpec;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.apache.flink.configuration.Configuration;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code aim finetune}: a run from spec to profile. A new run is sized (the plan is printed), gets
 * its folder and {@code run.json}, has its dataset prepared (or found), its trainer config rendered,
 * and then its attempts driven by {@link AttemptLoop}; {@link #resume} continues a PAUSED or FAILED
 * run with the spec and trainer config it was created with. While it runs, its gauges are served
 * on the metrics port and, with bootstrap servers, its events go to Kafka.
 */
public final class FinetuneDriver {

    /** The trainer of {@code trainer/}; the local backend appends {@code --config FILE}. */
    public static final List<String> DEFAULT_TRAINER_COMMAND = List.of("python3", "-m", "aim_trainer");

    private static final DateTimeFormatter RUN_ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    /**
     * How the driver runs; for a resume, null fields mean "as the run was created".
     *
     * @param metricsPort 0 serves no metrics
     * @param trainerCommand null for the default (or, on resume, the run's own)
     * @param inPlaceProgress redraw the progress line (a terminal)
     * @param image the trainer image (kubernetes backend; the local backend ignores it)
     * @param gpuResource the GPU extended resource the trainer pods ask for, {@code amd.com/gpu} or
     *     {@code nvidia.com/gpu} (kubernetes backend)
     * @param kubernetes {@code aim.finetune.kubernetes.*} settings (kubernetes backend)
     */
    public record Options(Path runsDir, String backend, Integer retries, Duration stallTimeout,
            Optional<String> bootstrapServers, String topic, int metricsPort, List<String> trainerCommand,
            boolean inPlaceProgress, String image, String gpuResource, Map<String, String> kubernetes) {

        public Options {
            kubernetes = Map.copyOf(kubernetes);
        }

        /** Options for the local backend. */
        public Options(Path runsDir, String backend, Integer retries, Duration stallTimeout,
                Optional<String> bootstrapServers, String topic, int metricsPort, List<String> trainerCommand,
                boolean inPlaceProgress) {
            this(runsDir, backend, retries, stallTimeout, bootstrapServers, topic, metricsPort, trainerCommand,
                    inPlaceProgress, null, DEFAULT_GPU_RESOURCE, Map.of());
        }
    }

    /** The resource trainer pods ask for unless --gpu-resource says otherwise. */
    public static final String DEFAULT_GPU_RESOURCE = "amd.com/gpu";

    private final Options options;
    private final RunStore store;
    private final PrintStream out;
    private final PauseSignal pause;
    private final Clock clock;

    public FinetuneDriver(Options options, PrintStream out, PauseSignal pause, Clock clock) {
        this.options = options;
        this.store = new RunStore(options.runsDir());
        this.out = out;
        this.pause = pause;
        this.clock = clock;
    }

    /** Starts a new run from a FineTuningJob spec and drives it; returns the state it ended in. */
    public RunState start(Path specFile) throws Exception {
        TrainerBackend backend = backend(options.backend(), options);
        FineTuningJobSpec spec = FineTuningJobParser.parse(specFile);
        TrainingPlan plan = TrainingSizer.plan(spec, spec.baseModel().readShape());
        out.print(plan.describe());
        requireMetricsPortFree();

        RunRecord run = new RunRecord(newRunId(spec.name()), clock.millis());
        List<String> command = options.trainerCommand() != null ? options.trainerCommand() : DEFAULT_TRAINER_COMMAND;
        run.launch(new RunRecord.Launch(specFile.toAbsolutePath().normalize().toString(), Files.readString(specFile),
                backend.name(), command, options.retries() != null ? options.retries() : 2,
                (options.stallTimeout() != null ? options.stallTimeout() : Duration.ofMinutes(10)).toMillis()));
        run.plan(planJson(plan));
        run.driverPid(ProcessHandle.current().pid());
        store.create(run);
        Path runDir = store.runDir(run.runId());
        out.println("aim finetune: run " + run.runId() + " in " + runDir);

        try (Session session = new Session(run)) {
            session.move(RunState.PREPARING, "preparing the dataset");
            DatasetPreparation.Result data;
            try {
                data = new DatasetPreparation(store.root().resolve("datasets"), out).prepare(spec.dataset());
                run.dataset(data.toJson());
                TrainerConfigFile.write(runDir, TrainerConfigWriter.write(spec, plan, run.runId(), runDir,
                        data.dataset(), null));
            } catch (Exception e) {
                session.move(RunState.FAILED, "preparing the dataset failed: " + rootMessage(e));
                throw e;
            }
            return session.drive(backend, spec, command);
        }
    }

    /** Continues a PAUSED or FAILED run (or one whose driver died) from its last complete checkpoint. */
    public RunState resume(String runId) throws Exception {
        RunRecord run = store.load(runId);
        if (run.state() == RunState.COMPLETED) {
            throw new IllegalArgumentException("run " + runId + " is COMPLETED; there is nothing to resume");
        }
        if (run.state().active() || run.state() == RunState.CREATED) {
            long pid = run.driverPid();
            boolean alive = pid > 0 && pid != ProcessHandle.current().pid()
                    && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
            if (alive) {
                throw new IllegalStateException("run " + runId + " is " + run.state() + ", driven by process " + pid
                        + "; stop that driver (kill -TERM " + pid + ") to pause it first");
            }
            run.moveTo(RunState.FAILED, "its driver (process " + pid + ") ended while the run was " + run.state(),
                    clock.millis());
            store.save(run);
        }
        RunRecord.Launch launch = run.launch();
        TrainerBackend backend = backend(options.backend() != null ? options.backend() : launch.backend(), options);
        FineTuningJobSpec spec = FineTuningJobParser.parse(launch.spec(), Path.of(launch.specFile()), List.of());
        TrainerConfigFile.read(store.runDir(runId)); // fails early, with advice, when the run never got that far
        List<String> command = options.trainerCommand() != null ? options.trainerCommand() : launch.trainerCommand();
        requireMetricsPortFree();
        run.driverPid(ProcessHandle.current().pid());
        out.println("aim finetune: resuming run " + runId + " (" + run.state() + ": " + run.message() + ")");
        try (Session session = new Session(run)) {
            return session.drive(backend, spec, command);
        }
    }

    /** The metrics, the Kafka publisher and the terminal of one driver invocation, closed together. */
    private final class Session implements AutoCloseable {

        private final RunRecord run;
        private final MetricsEndpoint endpoint;
        private final TrainingMetrics metrics;
        private final Optional<TrainingEventPublisher> publisher;
        private final ProgressLine terminal;

        Session(RunRecord run) throws IOException {
            this.run = run;
            this.endpoint = options.metricsPort() > 0 ? startEndpoint(options.metricsPort()) : null;
            this.metrics = new TrainingMetrics(run.runId(), exposition -> {
                if (endpoint != null) {
                    endpoint.update(exposition);
                }
            });
            metrics.onProgress(run.progress().step, run.progress().totalSteps);
            metrics.onState(run.state());
            this.publisher = options.bootstrapServers().map(servers -> new TrainingEventPublisher(servers, options.topic()));
            this.terminal = new ProgressLine(out, options.inPlaceProgress(), run.progress().totalSteps);
            if (endpoint != null) {
                out.printf("aim finetune: Prometheus metrics on http://localhost:%d/metrics (aim_finetune_*)%n",
                        endpoint.port());
            }
            publisher.ifPresent(p -> out.println("aim finetune: publishing TrainingEvents to " + options.topic()
                    + " on " + options.bootstrapServers().get()));
        }

        void move(RunState next, String message) throws IOException {
            run.moveTo(next, message, clock.millis());
            metrics.onState(next);
            store.save(run);
        }

        RunState drive(TrainerBackend backend, FineTuningJobSpec spec, List<String> command) throws Exception {
            RunRecord.Launch launch = run.launch();
            int retries = options.retries() != null ? options.retries() : launch.retries();
            Duration stall = options.stallTimeout() != null ? options.stallTimeout()
                    : Duration.ofMillis(launch.stallTimeoutMs());
            Path runDir = store.runDir(run.runId());
            AttemptLoop.LaunchSettings settings = new AttemptLoop.LaunchSettings(command, trainerEnvironment(),
                    options.image(), spec.resources() == null ? 1 : spec.resources().gpus(),
                    options.gpuResource() != null ? options.gpuResource() : DEFAULT_GPU_RESOURCE);
            try {
                return new AttemptLoop(store, run, backend, settings, new RetryPolicy(retries), stall, metrics, publisher,
                        terminal, pause, new RunFinisher(spec, runDir), clock).drive();
            } catch (Exception e) {
                if (run.state().canMoveTo(RunState.FAILED)) {
                    move(RunState.FAILED, "the driver failed: " + rootMessage(e));
                }
                throw e;
            } finally {
                if (backend instanceof AutoCloseable closeable) {
                    closeable.close(); // the Kubernetes client
                }
            }
        }

        @Override
        public void close() {
            terminal.clear();
            publisher.ifPresent(p -> {
                p.close(); // flushes, so the counts below are final
                out.printf("aim finetune: %d TrainingEvents published, %d not delivered%n", p.sent(), p.failed());
            });
            if (endpoint != null) {
                endpoint.close();
            }
        }
    }

    /**
     * Unbuffered Python output (events must arrive as they happen, or a healthy trainer looks stalled),
     * and the repository's {@code trainer/} on PYTHONPATH when there is one, so that the default
     * {@code python3 -m aim_trainer} works from a checkout without installing anything.
     */
    static Map<String, String> trainerEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PYTHONUNBUFFERED", "1");
        List<Path> candidates = new ArrayList<>(List.of(Path.of("trainer")));
        try {
            // bin/aim runs from jobs/target/classes; the checkout's root is three folders up
            Path classes = Path.of(FinetuneDriver.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (classes.getParent() != null && classes.getParent().getParent() != null
                    && classes.getParent().getParent().getParent() != null) {
                candidates.add(classes.getParent().getParent().getParent().resolve("trainer"));
            }
        } catch (URISyntaxException | RuntimeException e) {
            // no code location (or not a file): only the working folder is searched
        }
        for (Path dir : candidates) {
            if (Files.isRegularFile(dir.resolve("aim_trainer").resolve("__main__.py"))) {
                String existing = System.getenv("PYTHONPATH");
                env.put("PYTHONPATH", dir.toAbsolutePath().normalize()
                        + (existing == null || existing.isEmpty() ? "" : java.io.File.pathSeparator + existing));
                break;
            }
        }
        return env;
    }

    private void requireMetricsPortFree() {
        if (options.metricsPort() > 0) {
            PortCheck.requireFree(options.metricsPort(), "fine-tuning metrics", "--metrics-port");
        }
    }

    private static MetricsEndpoint startEndpoint(int port) {
        try {
            return MetricsEndpoint.start(port, "");
        } catch (IOException e) {
            throw new LocalStackException("port " + port + " (fine-tuning metrics) is already in use; stop what holds"
                    + " it or pass --metrics-port <port> (0: no metrics)");
        }
    }

    static TrainerBackend backend(String name) {
        return backend(name, new Options(Path.of("runs"), name, null, null, Optional.empty(), "", 0, null, false));
    }

    /**
     * The backend by name. {@code kubernetes} runs each attempt as a Job in the cluster of the
     * current kubeconfig (or the driver's own pod); it needs the trainer image and the runs claim,
     * and fails here, before a run is created, when either is missing.
     */
    static TrainerBackend backend(String name, Options options) {
        if (name == null || name.equals(LocalProcessBackend.NAME)) {
            return new LocalProcessBackend();
        }
        if (name.equals(KubernetesTrainerBackend.NAME)) {
            if (options.image() == null || options.image().isBlank()) {
                throw new IllegalArgumentException("--backend kubernetes needs --image IMAGE: the trainer image"
                        + " (trainer/Dockerfile) that the Job's pods run");
            }
            Set<String> resources = Set.of("amd.com/gpu", "nvidia.com/gpu");
            if (options.gpuResource() != null && !resources.contains(options.gpuResource())) {
                throw new IllegalArgumentException("--gpu-resource must be amd.com/gpu or nvidia.com/gpu, got '"
                        + options.gpuResource() + "'");
            }
            return KubernetesTrainerBackend.fromConfiguration(Configuration.fromMap(options.kubernetes()));
        }
        throw new IllegalArgumentException("--backend must be local or kubernetes, got '" + name + "'");
    }

    /** {@code NAME-yyyyMMdd-HHmmss} (UTC), with {@code -2}, {@code -3}, ... when two runs start in one second. */
    private String newRunId(String name) {
        String base = name + "-" + RUN_ID_TIME.format(clock.instant());
        String id = base;
        for (int n = 2; Files.exists(store.root().resolve(id)); n++) {
            id = base + "-" + n;
        }
        return id;
    }

    private static ObjectNode planJson(TrainingPlan plan) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("micro_batch_size", plan.microBatchSize());
        node.put("gradient_accumulation_steps", plan.gradientAccumulationSteps());
        node.put("gpus", plan.gpus());
        node.put("effective_batch_size", plan.effectiveBatchSize());
        node.put("gradient_checkpointing", plan.gradientCheckpointing());
        node.put("max_seq_len", plan.maxSeqLen());
        node.put("predicted_peak_bytes", plan.predictedPeakBytes());
        node.put("capacity_bytes", plan.capacityBytes());
        node.putPOJO("target_modules", plan.targetModules());
        return node;
    }

    static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() != null ? root.getMessage() : root.toString();
    }
}
