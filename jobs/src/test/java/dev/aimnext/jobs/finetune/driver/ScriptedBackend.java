package dev.aimnext.jobs.finetune.driver;

import dev.aimnext.jobs.finetune.launch.TrainerBackend;
import dev.aimnext.jobs.finetune.launch.TrainerHandle;
import dev.aimnext.jobs.finetune.launch.TrainerLaunch;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.OptionalInt;
import java.util.function.Function;

/**
 * A backend whose attempts play scripts: the lines each attempt prints and how it ends (an exit
 * code, or silence until killed). Each script is a function of the launch, so it can write the
 * checkpoints a real trainer would before "printing" its lines.
 */
final class ScriptedBackend implements TrainerBackend {

    /** One attempt: lines, then an exit code; {@code stallAfterLines} leaves it silent until killed. */
    record Script(List<String> lines, int exitCode, boolean stallAfterLines) {

        static Script exits(int code, List<String> lines) {
            return new Script(lines, code, false);
        }

        static Script stalls(List<String> lines) {
            return new Script(lines, -1, true);
        }
    }

    private final Deque<Function<TrainerLaunch, Script>> scripts = new ArrayDeque<>();
    final List<TrainerLaunch> launches = new ArrayList<>();
    final List<String> signals = new ArrayList<>();

    ScriptedBackend then(Function<TrainerLaunch, Script> script) {
        scripts.add(script);
        return this;
    }

    @Override
    public String name() {
        return "scripted";
    }

    @Override
    public TrainerHandle launch(TrainerLaunch launch) throws IOException {
        launches.add(launch);
        if (scripts.isEmpty()) {
            throw new IOException("no script left for attempt " + launch.attempt());
        }
        Script script = scripts.poll().apply(launch);
        return new TrainerHandle() {
            private final Deque<String> pending = new ArrayDeque<>(script.lines());
            private Integer exit;

            @Override
            public Line nextLine(Duration timeout) throws InterruptedException {
                if (!pending.isEmpty()) {
                    return Line.of(pending.poll());
                }
                if (exit == null && script.stallAfterLines()) {
                    Thread.sleep(timeout.toMillis());
                    return Line.timeout();
                }
                if (exit == null) {
                    exit = script.exitCode();
                }
                return Line.end();
            }

            @Override
            public OptionalInt exitCode() {
                return exit == null ? OptionalInt.empty() : OptionalInt.of(exit);
            }

            @Override
            public OptionalInt waitFor(Duration timeout) {
                return exitCode();
            }

            @Override
            public void requestPause() {
                signals.add("pause " + launch.attempt());
                pending.clear();
                exit = 75;
            }

            @Override
            public void kill() {
                signals.add("kill " + launch.attempt());
                pending.clear();
                exit = 137;
            }

            @Override
            public void close() {}
        };
    }
}
