package dev.aimnext.jobs.finetune.k8s;

import io.fabric8.kubernetes.api.model.Pod;

import java.time.Duration;
import java.util.HashSet;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The attempt's pod as the informer last reported it, shared by the informer's thread, the log
 * follower and the driver's calls. The first pod of the Job is the attempt's; with {@code backoffLimit: 0}
 * and {@code podReplacementPolicy: Failed} there is no other, and one that appears anyway is ignored.
 * The deleted pod's last state is kept: a pod deleted for a pause reports the trainer's exit code 75
 * in its final update, and that is where the code is read from.
 */
final class TrainerPodState {

    private final Consumer<String> notes;
    private final Set<String> reported = new HashSet<>();
    private String podName;
    private Pod pod;
    private boolean gone;
    private boolean pauseRequested;
    private boolean killRequested;
    private boolean closed;

    /** @param notes receives one line per new hold-up (image pull, scheduling) and when the trainer starts */
    TrainerPodState(Consumer<String> notes) {
        this.notes = notes;
    }

    synchronized void seen(Pod update) {
        String name = update.getMetadata().getName();
        if (podName == null) {
            podName = name;
        } else if (!podName.equals(name)) {
            note("ignoring pod " + name + ": the attempt runs in " + podName, "ignored " + name);
            return;
        }
        boolean wasStarted = PodOutcome.started(pod);
        pod = update;
        if (!wasStarted && PodOutcome.started(pod)) {
            note("pod " + name + " started the trainer" + onNode(pod));
        }
        PodOutcome.holdUp(pod).ifPresent(why -> {
            String reason = why.contains(":") ? why.substring(0, why.indexOf(':')) : why;
            if (!PodOutcome.started(pod)) {
                note("pod " + name + " waiting: " + why, reason);
            }
        });
        notifyAll();
    }

    synchronized void deleted(Pod last) {
        if (podName != null && !podName.equals(last.getMetadata().getName())) {
            return;
        }
        podName = last.getMetadata().getName();
        pod = last;
        gone = true;
        notifyAll();
    }

    synchronized String podName() {
        return podName;
    }

    synchronized boolean gone() {
        return gone;
    }

    /** Before any pod exists the backend deletes the whole Job, so none will come: the attempt has ended. */
    synchronized void requestPause() {
        pauseRequested = true;
        gone |= podName == null;
        notifyAll();
    }

    synchronized void requestKill() {
        killRequested = true;
        gone |= podName == null;
        notifyAll();
    }

    synchronized void close() {
        closed = true;
        notifyAll();
    }

    synchronized OptionalInt exitCode() {
        return PodOutcome.exitCode(pod, gone, pauseRequested, killRequested);
    }

    /** Waits until the trainer container started (its log is readable); null when the attempt ended first. */
    synchronized String awaitStartedPod() throws InterruptedException {
        while (!closed && !PodOutcome.started(pod) && exitCode().isEmpty()) {
            wait();
        }
        return !closed && PodOutcome.started(pod) ? podName : null;
    }

    /** Waits at most {@code timeout} for the exit code. */
    synchronized OptionalInt awaitExit(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (long left = timeout.toNanos(); exitCode().isEmpty() && !closed && left > 0;
                left = deadline - System.nanoTime()) {
            wait(Math.max(1, left / 1_000_000));
        }
        return exitCode();
    }

    /** Waits at most {@code timeout} or until the pod changes. */
    synchronized void awaitChange(Duration timeout) throws InterruptedException {
        if (!closed) {
            wait(Math.max(1, timeout.toMillis()));
        }
    }

    private void note(String line) {
        notes.accept("kubernetes: " + line);
    }

    /** Says each hold-up once: back-off messages change every retry and would keep a stalled attempt alive. */
    private void note(String line, String key) {
        if (reported.add(key)) {
            note(line);
        }
    }

    private static String onNode(Pod pod) {
        String node = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
        return node == null ? "" : " on node " + node;
    }
}
