package dev.aimnext.jobs.finetune.k8s;

import io.fabric8.kubernetes.client.dsl.LogWatch;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.function.Consumer;

/**
 * Streams the trainer container's log into the handle's line queue, every line exactly once.
 *
 * <p>A follow stream can end while the trainer still runs (API server restart, idle connection
 * cut): the driver would then see silence and kill a healthy attempt as stalled. So the follower
 * reconnects, asking for timestamped lines since the last one it delivered. {@code sinceTime} has
 * whole seconds and several lines can share one timestamp, so lines up to the last delivered
 * timestamp are skipped by count. After the container terminated, one last stream reads what remains.
 */
final class PodLogFollower implements Runnable {

    /** Opens a follow stream of the trainer container's log, timestamped, since a time (null: from the start). */
    interface LogOpener {
        LogWatch open(String pod, String sinceTime) throws IOException;
    }

    private static final Duration RECONNECT_DELAY = Duration.ofSeconds(1);

    private final TrainerPodState state;
    private final LogOpener opener;
    private final Consumer<String> sink;
    private final Runnable end;
    private volatile LogWatch current;
    private volatile boolean stopped;
    private Instant last;
    /** Lines delivered with the timestamp {@link #last}, over all streams. */
    private int deliveredAtLast;
    /** Lines with the timestamp {@link #last} in the current stream. */
    private int seenAtLast;

    /** @param end called once when no line will follow */
    PodLogFollower(TrainerPodState state, LogOpener opener, Consumer<String> sink, Runnable end) {
        this.state = state;
        this.opener = opener;
        this.sink = sink;
        this.end = end;
    }

    @Override
    public void run() {
        try {
            while (!stopped) {
                boolean endedBefore = state.exitCode().isPresent();
                String pod = state.awaitStartedPod();
                if (pod == null) {
                    break;
                }
                try {
                    stream(pod);
                } catch (IOException | RuntimeException e) {
                    // connection cut or pod gone; the state decides below whether to try again
                }
                if (endedBefore || state.gone() || stopped) {
                    break; // a stream opened after the end had the whole log; a deleted pod has none left
                }
                if (state.exitCode().isEmpty()) {
                    state.awaitChange(RECONNECT_DELAY);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            end.run();
        }
    }

    void stop() {
        stopped = true;
        LogWatch watch = current;
        if (watch != null) {
            watch.close();
        }
    }

    private void stream(String pod) throws IOException {
        String since = last == null ? null : last.truncatedTo(ChronoUnit.SECONDS).toString();
        seenAtLast = 0;
        try (LogWatch watch = opener.open(pod, since);
                BufferedReader in = new BufferedReader(new InputStreamReader(watch.getOutput(), StandardCharsets.UTF_8))) {
            current = watch;
            for (String line = in.readLine(); line != null && !stopped; line = in.readLine()) {
                accept(line);
            }
        } finally {
            current = null;
        }
    }

    /** Strips the kubelet's RFC 3339 timestamp and delivers the line unless an earlier stream did. */
    void accept(String stamped) {
        int space = stamped.indexOf(' ');
        Instant at;
        try {
            at = space > 0 ? Instant.parse(stamped.substring(0, space)) : null;
        } catch (DateTimeParseException e) {
            at = null;
        }
        if (at == null) {
            sink.accept(stamped); // no timestamp to order by; cannot be deduplicated
            return;
        }
        String text = stamped.substring(space + 1);
        if (last != null && at.isBefore(last)) {
            return;
        }
        if (at.equals(last)) {
            seenAtLast++;
            if (seenAtLast <= deliveredAtLast) {
                return;
            }
            deliveredAtLast++;
        } else {
            last = at;
            deliveredAtLast = 1;
            seenAtLast = 1;
        }
        sink.accept(text);
    }
}
