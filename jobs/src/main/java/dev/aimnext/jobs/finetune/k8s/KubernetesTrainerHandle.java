package dev.aimnext.jobs.finetune.k8s;

import dev.aimnext.jobs.finetune.launch.TrainerHandle;

import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.ContainerResource;
import io.fabric8.kubernetes.client.dsl.LogWatch;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

import java.io.IOException;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A trainer attempt running as a Kubernetes Job. An informer on the Job's pods keeps {@link
 * TrainerPodState} current (including the final state of a deleted pod); a {@link PodLogFollower}
 * thread streams the trainer container's log lines; notes about the pod (waiting for an image or a
 * GPU, started on a node) come in between as ordinary log lines. The exit code is the trainer
 * container's own, read from its termination state.
 */
final class KubernetesTrainerHandle implements TrainerHandle {

    /** Marks the end of the output in the queue; compared by identity. */
    private static final String END = new String("\u0000end");

    private final KubernetesClient client;
    private final String namespace;
    private final String jobName;
    private final Duration pauseGracePeriod;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final TrainerPodState state = new TrainerPodState(lines::add);
    private final SharedIndexInformer<Pod> informer;
    private final PodLogFollower follower;
    private final Thread followerThread;
    private boolean ended;

    KubernetesTrainerHandle(KubernetesClient client, String namespace, String jobName, Duration pauseGracePeriod) {
        this.client = client;
        this.namespace = namespace;
        this.jobName = jobName;
        this.pauseGracePeriod = pauseGracePeriod;
        this.informer = client.pods().inNamespace(namespace).withLabel(TrainerJobTemplate.LABEL_JOB_NAME, jobName)
                .inform(new PodEvents(), 0);
        this.follower = new PodLogFollower(state, this::openLog, lines::add, () -> lines.add(END));
        this.followerThread = new Thread(follower, "aim-trainer-log-" + jobName);
        followerThread.setDaemon(true);
        followerThread.start();
    }

    /** The Job's name, {@code aim-train-<run>-a<attempt>}. */
    String jobName() {
        return jobName;
    }

    @Override
    public Line nextLine(Duration timeout) throws InterruptedException {
        if (ended) {
            return Line.end();
        }
        String line = lines.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        if (line == null) {
            return Line.timeout();
        }
        if (line == END) {
            ended = true;
            return Line.end();
        }
        return Line.of(line);
    }

    @Override
    public OptionalInt exitCode() {
        return state.exitCode();
    }

    @Override
    public OptionalInt waitFor(Duration timeout) throws InterruptedException {
        return state.awaitExit(timeout);
    }

    /** Deletes the pod with the pause grace period: the kubelet sends SIGTERM, the trainer checkpoints and exits 75. */
    @Override
    public void requestPause() throws IOException {
        state.requestPause();
        String pod = state.podName();
        try {
            if (pod == null) {
                // No pod yet: nothing has trained in this attempt, so removing the Job loses nothing.
                deleteJob();
            } else {
                client.pods().inNamespace(namespace).withName(pod)
                        .withGracePeriod(pauseGracePeriod.toSeconds()).delete();
            }
        } catch (KubernetesClientException e) {
            throw new IOException("cannot delete trainer pod " + pod + " of Job " + jobName + " to pause it: "
                    + e.getMessage(), e);
        }
    }

    /** Deletes the pods at once (no grace: a stalled trainer may not react to SIGTERM), then the Job. */
    @Override
    public void kill() throws IOException {
        state.requestKill();
        try {
            client.pods().inNamespace(namespace).withLabel(TrainerJobTemplate.LABEL_JOB_NAME, jobName)
                    .withGracePeriod(0).delete();
            deleteJob();
        } catch (KubernetesClientException e) {
            throw new IOException("cannot delete trainer Job " + jobName + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            if (state.exitCode().isEmpty()) {
                kill();
            }
        } finally {
            follower.stop();
            state.close();
            informer.close();
            try {
                followerThread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void deleteJob() {
        // Background propagation: the garbage collector removes the pods; the call does not wait for them.
        client.batch().v1().jobs().inNamespace(namespace).withName(jobName)
                .withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
    }

    private LogWatch openLog(String pod, String sinceTime) {
        ContainerResource container = client.pods().inNamespace(namespace).withName(pod)
                .inContainer(TrainerJobTemplate.CONTAINER).withReadyWaitTimeout(0);
        return sinceTime == null ? container.usingTimestamps().watchLog()
                : container.usingTimestamps().sinceTime(sinceTime).watchLog();
    }

    /** Informer callbacks; the deleted pod's object is its final state. */
    private final class PodEvents implements ResourceEventHandler<Pod> {
        @Override
        public void onAdd(Pod pod) {
            state.seen(pod);
        }

        @Override
        public void onUpdate(Pod before, Pod after) {
            state.seen(after);
        }

        @Override
        public void onDelete(Pod pod, boolean finalStateUnknown) {
            state.deleted(pod);
        }
    }
}
