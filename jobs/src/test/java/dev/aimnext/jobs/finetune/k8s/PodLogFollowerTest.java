package dev.aimnext.jobs.finetune.k8s;

import io.fabric8.kubernetes.client.dsl.LogWatch;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import static dev.aimnext.jobs.finetune.k8s.PodOutcomeTest.running;
import static dev.aimnext.jobs.finetune.k8s.PodOutcomeTest.terminated;
import static org.assertj.core.api.Assertions.assertThat;

class PodLogFollowerTest {

    private final List<String> delivered = Collections.synchronizedList(new ArrayList<>());

    @Test
    void reconnectsDeliveringEveryLineOnceEvenWithSharedTimestamps() {
        TrainerPodState state = new TrainerPodState(line -> { });
        state.seen(running("pod-1"));
        List<String> sinceTimes = new ArrayList<>();
        String full = String.join("\n",
                "2026-11-28T01:00:00.100000000Z loading model",
                "2026-11-28T01:00:01.500000000Z {\"aim_event\":\"STARTED\"}",
                "2026-11-28T01:00:01.500000000Z step log a",
                "2026-11-28T01:00:01.500000000Z step log b",
                "2026-11-28T01:00:02.000000000Z {\"aim_event\":\"COMPLETED\"}") + "\n";
        List<String> bodies = new ArrayList<>(List.of(
                String.join("\n", full.lines().limit(3).toList()) + "\n", // the connection drops after three lines
                full));
        PodLogFollower follower = new PodLogFollower(state, (pod, since) -> {
            sinceTimes.add(since);
            if (bodies.size() == 1) {
                state.seen(terminated("pod-1", 0)); // the trainer finished while the driver reconnected
            }
            return new FixedLog(bodies.size() > 1 ? bodies.remove(0) : bodies.get(0));
        }, delivered::add, () -> delivered.add("<end>"));
        follower.run();
        assertThat(delivered).containsExactly("loading model", "{\"aim_event\":\"STARTED\"}", "step log a",
                "step log b", "{\"aim_event\":\"COMPLETED\"}", "<end>");
        // The second stream began before the end was seen, so a last one reads what may have followed.
        assertThat(sinceTimes).containsExactly(null, "2026-11-28T01:00:01Z", "2026-11-28T01:00:02Z");
    }

    @Test
    void aPodThatNeverStartsEndsTheOutputWithoutReadingLogs() {
        TrainerPodState state = new TrainerPodState(line -> { });
        state.seen(PodOutcomeTest.waiting("pod-1", "ImagePullBackOff", "no such image"));
        state.requestKill();
        state.deleted(PodOutcomeTest.waiting("pod-1", "ImagePullBackOff", "no such image"));
        new PodLogFollower(state, (pod, since) -> {
            throw new AssertionError("no log to read");
        }, delivered::add, () -> delivered.add("<end>")).run();
        assertThat(delivered).containsExactly("<end>");
        assertThat(state.exitCode()).hasValue(PodOutcome.KILLED);
    }

    @Test
    void linesWithoutATimestampPassThrough() {
        PodLogFollower follower = new PodLogFollower(new TrainerPodState(l -> { }), null, delivered::add, () -> { });
        follower.accept("plain line");
        follower.accept("2026-11-28T01:00:00Z stamped");
        follower.accept("2026-11-28T00:59:59Z older, from a previous stream");
        assertThat(delivered).containsExactly("plain line", "stamped");
    }

    @Test
    void podStateNotesEachHoldUpOnceAndIgnoresOtherPods() {
        List<String> notes = new ArrayList<>();
        TrainerPodState state = new TrainerPodState(notes::add);
        state.seen(PodOutcomeTest.waiting("pod-1", "ErrImagePull", "pull access denied"));
        state.seen(PodOutcomeTest.waiting("pod-1", "ImagePullBackOff", "Back-off pulling image, 10s"));
        state.seen(PodOutcomeTest.waiting("pod-1", "ImagePullBackOff", "Back-off pulling image, 20s"));
        state.seen(running("pod-1"));
        state.seen(running("pod-2"));
        state.seen(running("pod-2"));
        assertThat(notes).containsExactly(
                "kubernetes: pod pod-1 waiting: ErrImagePull: pull access denied",
                "kubernetes: pod pod-1 waiting: ImagePullBackOff: Back-off pulling image, 10s",
                "kubernetes: pod pod-1 started the trainer on node gpu-node-1",
                "kubernetes: ignoring pod pod-2: the attempt runs in pod-1");
        assertThat(state.podName()).isEqualTo("pod-1");
    }

    @Test
    void pausingBeforeAnyPodEndsTheAttemptAsPaused() {
        TrainerPodState state = new TrainerPodState(l -> { });
        assertThat(state.exitCode()).isEmpty();
        state.requestPause();
        assertThat(state.exitCode()).hasValue(PodOutcome.PAUSED);
    }

    /** A log stream with a fixed body, like a follow request whose connection ends after it. */
    private static final class FixedLog implements LogWatch {
        private final String body;

        FixedLog(String body) {
            this.body = body;
        }

        @Override
        public InputStream getOutput() {
            return new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public CompletionStage<Throwable> onClose() {
            return new CompletableFuture<>();
        }

        @Override
        public void close() {
        }
    }
}
