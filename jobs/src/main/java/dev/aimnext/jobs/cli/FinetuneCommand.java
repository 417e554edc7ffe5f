package dev.aimnext.jobs.cli;

import dev.aimnext.jobs.finetune.driver.FinetuneDriver;
import dev.aimnext.jobs.finetune.driver.PauseSignal;
import dev.aimnext.jobs.local.AimTopics;
import dev.aimnext.operators.finetune.run.AttemptEnd;
import dev.aimnext.operators.finetune.run.RunState;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code aim finetune --spec job.yaml [...]} and {@code aim finetune resume RUN_ID [...]}: drives a
 * fine-tuning run with {@link FinetuneDriver}. SIGTERM or Ctrl-C pauses the run (the trainer saves a
 * checkpoint and exits 75) before the driver exits. Exit status: 0 COMPLETED, 75 PAUSED, 1 FAILED.
 */
final class FinetuneCommand {

    /** How long the SIGTERM hook lets the trainer save its checkpoint before the JVM goes anyway. */
    private static final Duration PAUSE_GRACE = Duration.ofMinutes(10);

    private final String[] args;
    private final PrintStream out;
    private final PauseSignal pause;

    FinetuneCommand(String[] args, PrintStream out) {
        this(args, out, new PauseSignal());
    }

    /** @param pause lets a test pause the run as SIGTERM would */
    FinetuneCommand(String[] args, PrintStream out, PauseSignal pause) {
        this.args = args;
        this.out = out;
        this.pause = pause;
    }

    /**
     * {@code --k8s KEY=VALUE[,KEY=VALUE...]}: settings of the kubernetes backend; a key without the
     * {@code aim.finetune.kubernetes.} prefix gets it, so {@code --k8s runs-claim=aim-runs} works.
     */
    static Map<String, String> kubernetesSettings(String value) {
        return CliArgs.keyValues("k8s", value, K8S_PREFIX);
    }

    private static final String K8S_PREFIX = "aim.finetune.kubernetes.";

    int run() throws Exception {
        boolean resume = args.length > 1 && args[1].equals("resume");
        if (resume && (args.length < 3 || args[2].startsWith("--"))) {
            throw new IllegalArgumentException("finetune resume needs a RUN_ID (see aim runs)");
        }
        CliArgs options = new CliArgs(args, resume ? 3 : 1);
        Optional<String> spec = resume ? Optional.empty() : options.optional("spec");
        FinetuneDriver.Options driverOptions = new FinetuneDriver.Options(
                Path.of(options.value("runs-dir", "runs")),
                options.optional("backend").orElse(resume ? null : "local"),
                options.optional("retries").map(v -> nonNegative("retries", v)).orElse(null),
                options.optional("stall-timeout").map(FinetuneCommand::duration).orElse(null),
                options.optional("bootstrap-servers"),
                options.value("topic", AimTopics.TRAINING_EVENTS),
                options.intValue("metrics-port", 9251),
                options.optional("trainer-command").map(FinetuneCommand::command).orElse(null),
                out == System.out && System.console() != null,
                options.optional("image").orElse(null),
                options.value("gpu-resource", FinetuneDriver.DEFAULT_GPU_RESOURCE),
                kubernetesSettings(options.optional("k8s").orElse("")));
        options.requireConsumed();
        if (!resume && spec.isEmpty()) {
            throw new IllegalArgumentException("finetune needs --spec job.yaml (or: finetune resume RUN_ID)");
        }
        if (spec.isPresent() && !Files.isReadable(Path.of(spec.get()))) {
            throw new IllegalArgumentException("cannot read --spec " + spec.get());
        }

        FinetuneDriver driver = new FinetuneDriver(driverOptions, out, pause, Clock.systemUTC());
        CountDownLatch done = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            pause.request();
            try {
                done.await(PAUSE_GRACE.toSeconds(), TimeUnit.SECONDS); // let the trainer checkpoint and run.json say PAUSED
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "aim-finetune-pause");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            RunState state = resume ? driver.resume(args[2]) : driver.start(Path.of(spec.get()));
            return switch (state) {
                case COMPLETED -> 0;
                case PAUSED -> AttemptEnd.EXIT_PAUSED;
                default -> 1;
            };
        } finally {
            done.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // SIGTERM: the hook is running and waited for us
            }
        }
    }

    /** {@code 10m}, {@code 30s}, {@code 500ms}, {@code 1h}, or plain seconds. */
    static Duration duration(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        try {
            Duration d;
            if (t.endsWith("ms")) {
                d = Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            } else if (t.endsWith("s")) {
                d = Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)));
            } else if (t.endsWith("m")) {
                d = Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1)));
            } else if (t.endsWith("h")) {
                d = Duration.ofHours(Long.parseLong(t.substring(0, t.length() - 1)));
            } else {
                d = Duration.ofSeconds(Long.parseLong(t));
            }
            if (d.compareTo(Duration.ofSeconds(1)) >= 0) {
                return d;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException("--stall-timeout must be a duration of at least 1s such as 10m, 90s or 1h,"
                + " got '" + text + "'");
    }

    private static int nonNegative(String name, String v) {
        try {
            int n = Integer.parseInt(v);
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException("--" + name + " must be a whole number >= 0, got '" + v + "'");
    }

    /** The trainer command line, split on whitespace (wrap it in a script for anything fancier). */
    static List<String> command(String text) {
        List<String> parts = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        for (char c : (text + " ").toCharArray()) {
            if (Character.isWhitespace(c)) {
                if (word.length() > 0) {
                    parts.add(word.toString());
                    word.setLength(0);
                }
            } else {
                word.append(c);
            }
        }
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("--trainer-command is empty");
        }
        return parts;
    }
}
