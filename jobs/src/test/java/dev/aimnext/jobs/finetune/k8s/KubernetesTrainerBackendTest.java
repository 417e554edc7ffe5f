package dev.aimnext.jobs.finetune.k8s;

import dev.aimnext.jobs.finetune.launch.TrainerHandle;
import dev.aimnext.jobs.finetune.launch.TrainerHandle.Line;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;
import java.util.logging.Logger;

import static dev.aimnext.jobs.finetune.k8s.TrainerJobTemplateTest.SETTINGS;
import static dev.aimnext.jobs.finetune.k8s.TrainerJobTemplateTest.launch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The backend against fabric8's mock API server in CRUD mode. The test plays the Job controller and
 * the kubelet: it creates the Job's pod, moves its status along and serves its log ({@link FakeKubelet}).
 */
class KubernetesTrainerBackendTest {

    /** A liveness guard for reads, not a timing assertion: the mock answers in milliseconds. */
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String NS = "ml";

    private final FakeKubelet kubelet = new FakeKubelet();
    private KubernetesMockServer server;
    private KubernetesClient client;
    private KubernetesTrainerBackend backend;

    /** Kept referenced: java.util.logging holds loggers weakly, and a collected one forgets its level. */
    private static final Logger MOCK_SERVER_LOG = Logger.getLogger("io.fabric8.mockwebserver");

    @BeforeAll
    static void quietMockServer() {
        MOCK_SERVER_LOG.setLevel(Level.WARNING); // it logs every request at INFO
    }

    @BeforeEach
    void start() {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), kubelet, false);
        server.init();
        client = server.createClient();
        backend = new KubernetesTrainerBackend(client, SETTINGS);
    }

    @AfterEach
    void stop() {
        backend.close();
        server.destroy();
    }

    @Test
    void launchCreatesTheJobAsBuiltAndRefusesASecondOneForTheSameAttempt() throws Exception {
        try (TrainerHandle handle = backend.launch(launch("run-1", 2, 4, "amd.com/gpu"))) {
            Job job = client.batch().v1().jobs().inNamespace(NS).withName("aim-train-run-1-a2").get();
            assertThat(job).isNotNull();
            assertThat(job.getSpec().getBackoffLimit()).isZero();
            assertThat(job.getMetadata().getLabels()).containsEntry("aim.amd.com/run-id", "run-1")
                    .containsEntry("aim.amd.com/attempt", "2");
            var pod = job.getSpec().getTemplate().getSpec();
            assertThat(pod.getRestartPolicy()).isEqualTo("Never");
            assertThat(pod.getContainers().get(0).getResources().getLimits().get("amd.com/gpu").getAmount())
                    .isEqualTo("4");
            assertThat(pod.getVolumes()).extracting(v -> v.getName()).containsExactly("runs", "data", "shm");
            assertThat(pod.getContainers().get(0).getCommand()).endsWith("--config", "/runs/run-1/trainer-config.json");

            assertThatThrownBy(() -> backend.launch(launch("run-1", 2, 4, "amd.com/gpu")))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("trainer Job aim-train-run-1-a2 already exists in namespace ml")
                    .hasMessageContaining("kubectl -n ml delete job aim-train-run-1-a2");
            handle.kill();
        }
    }

    @Test
    void followsThePodsLogAcrossAConnectionDropToTheExitCode() throws Exception {
        TrainerHandle handle = backend.launch(launch("run-2", 1, 1, "amd.com/gpu"));
        String pod = "aim-train-run-2-a1-x7k2p";
        kubelet.log(pod, "2026-11-28T01:00:00.100000000Z aim_trainer: loading",
                "2026-11-28T01:00:01.200000000Z {\"aim_event\":\"STARTED\",\"step\":0}");
        kubelet.dropFirstConnectionAfter(pod, 1);
        createPod(PodOutcomeTest.running(pod), "aim-train-run-2-a1");

        List<String> lines = new ArrayList<>();
        lines.add(next(handle));
        lines.add(next(handle));
        lines.add(next(handle));
        kubelet.log(pod, "2026-11-28T01:00:09.000000000Z {\"aim_event\":\"COMPLETED\",\"step\":9}");
        assertThat(handle.exitCode()).isEmpty();
        updatePod(PodOutcomeTest.terminated(pod, 0), "aim-train-run-2-a1");
        lines.addAll(rest(handle));

        assertThat(lines).containsExactly("kubernetes: pod " + pod + " started the trainer on node gpu-node-1",
                "aim_trainer: loading", "{\"aim_event\":\"STARTED\",\"step\":0}",
                "{\"aim_event\":\"COMPLETED\",\"step\":9}");
        assertThat(handle.waitFor(WAIT)).hasValue(0);
        assertThat(kubelet.logRequests.get(0)).contains("container=trainer").contains("timestamps=true")
                .contains("follow=true");
        assertThat(kubelet.logRequests.get(1)).contains("sinceTime=2026-11-28T01:00:00Z");
        handle.close();
        assertThat(client.batch().v1().jobs().inNamespace(NS).withName("aim-train-run-2-a1").get())
                .as("a finished attempt's Job stays for its TTL").isNotNull();
    }

    @Test
    void theTrainersExitCodeComesFromTheContainerState() throws Exception {
        TrainerHandle handle = backend.launch(launch("run-3", 1, 1, "nvidia.com/gpu"));
        String pod = "aim-train-run-3-a1-aaaaa";
        kubelet.log(pod, "2026-11-28T01:00:00Z aim_trainer: config.json: 1 error(s) in the trainer config:");
        createPod(PodOutcomeTest.terminated(pod, 2), "aim-train-run-3-a1");
        assertThat(rest(handle)).containsExactly("kubernetes: pod " + pod + " started the trainer",
                "aim_trainer: config.json: 1 error(s) in the trainer config:");
        assertThat(handle.exitCode()).hasValue(2);
        handle.close();
    }

    @Test
    void pauseDeletesThePodWithTheGracePeriod() throws Exception {
        TrainerHandle handle = backend.launch(launch("run-4", 5, 1, "amd.com/gpu"));
        String pod = "aim-train-run-4-a5-bbbbb";
        kubelet.log(pod, "2026-11-28T01:00:00Z aim_trainer: SIGTERM received; saving a checkpoint");
        createPod(PodOutcomeTest.running(pod), "aim-train-run-4-a5");
        assertThat(next(handle)).startsWith("kubernetes: pod " + pod + " started");

        handle.requestPause();
        assertThat(handle.waitFor(WAIT)).hasValue(PodOutcome.PAUSED);
        assertThat(kubelet.deletes).anySatisfy(d -> assertThat(d)
                .startsWith("/api/v1/namespaces/ml/pods/" + pod).contains("\"gracePeriodSeconds\":600"));
        assertThat(client.batch().v1().jobs().inNamespace(NS).withName("aim-train-run-4-a5").get())
                .as("pausing removes the pod, not the Job").isNotNull();
        handle.close();
    }

    @Test
    void killDeletesThePodsAtOnceAndTheJob() throws Exception {
        TrainerHandle handle = backend.launch(launch("run-5", 1, 1, "amd.com/gpu"));
        String pod = "aim-train-run-5-a1-ccccc";
        createPod(PodOutcomeTest.running(pod), "aim-train-run-5-a1");
        assertThat(next(handle)).startsWith("kubernetes: pod " + pod + " started");

        handle.kill();
        assertThat(handle.waitFor(WAIT)).hasValue(PodOutcome.KILLED);
        assertThat(kubelet.deletes).anySatisfy(d -> assertThat(d).contains("/pods").contains("\"gracePeriodSeconds\":0"));
        assertThat(kubelet.deletes).anySatisfy(d -> assertThat(d).startsWith("/apis/batch/v1/namespaces/ml/jobs/aim-train-run-5-a1")
                .contains("\"propagationPolicy\":\"Background\""));
        assertThat(client.batch().v1().jobs().inNamespace(NS).withName("aim-train-run-5-a1").get()).isNull();
        assertThat(rest(handle)).isEmpty();
        handle.close();
    }

    @Test
    void aPodDeletedBySomeoneElseIsACrash() throws Exception {
        TrainerHandle handle = backend.launch(launch("run-6", 1, 1, "amd.com/gpu"));
        String pod = "aim-train-run-6-a1-ddddd";
        createPod(PodOutcomeTest.running(pod), "aim-train-run-6-a1");
        assertThat(next(handle)).startsWith("kubernetes: pod " + pod + " started");
        client.pods().inNamespace(NS).withName(pod).delete();
        assertThat(handle.waitFor(WAIT)).hasValue(PodOutcome.LOST);
        handle.close();
    }

    @Test
    void closingAnUnfinishedAttemptKillsIt() throws Exception {
        TrainerHandle handle = backend.launch(launch("run-7", 1, 1, "amd.com/gpu"));
        handle.close();
        assertThat(client.batch().v1().jobs().inNamespace(NS).withName("aim-train-run-7-a1").get()).isNull();
        assertThat(handle.exitCode()).hasValue(PodOutcome.KILLED);
    }

    private static String next(TrainerHandle handle) throws Exception {
        Line line = handle.nextLine(WAIT);
        assertThat(line.timedOut()).as("a line within the liveness guard").isFalse();
        assertThat(line.ended()).as("more output expected").isFalse();
        return line.text();
    }

    private static List<String> rest(TrainerHandle handle) throws Exception {
        List<String> lines = new ArrayList<>();
        for (Line line = handle.nextLine(WAIT); !line.ended(); line = handle.nextLine(WAIT)) {
            assertThat(line.timedOut()).as("the output ends within the liveness guard").isFalse();
            lines.add(line.text());
        }
        return lines;
    }

    private void createPod(Pod pod, String jobName) {
        client.pods().inNamespace(NS).resource(owned(pod, jobName)).create();
    }

    private void updatePod(Pod pod, String jobName) {
        client.pods().inNamespace(NS).resource(owned(pod, jobName)).update();
    }

    /** The pod as the Job controller would label it. */
    private static Pod owned(Pod pod, String jobName) {
        return new PodBuilder(pod).editMetadata().withNamespace(NS).addToLabels("job-name", jobName)
                .withResourceVersion(null).endMetadata().build();
    }

    /** The CRUD API plus the pod log endpoint a kubelet would serve, and a record of deletions. */
    static final class FakeKubelet extends KubernetesCrudDispatcher {
        final Map<String, List<String>> logs = new ConcurrentHashMap<>();
        final Map<String, Integer> dropAfter = new ConcurrentHashMap<>();
        final List<String> logRequests = new CopyOnWriteArrayList<>();
        final List<String> deletes = new CopyOnWriteArrayList<>();

        void log(String pod, String... stampedLines) {
            logs.computeIfAbsent(pod, p -> new CopyOnWriteArrayList<>()).addAll(List.of(stampedLines));
        }

        /** The first follow request of the pod ends after {@code lines} lines, as a cut connection would. */
        void dropFirstConnectionAfter(String pod, int lines) {
            dropAfter.put(pod, lines);
        }

        @Override
        public MockResponse dispatch(RecordedRequest request) {
            String path = request.getPath();
            if ("GET".equals(request.getMethod()) && path.contains("/log?")) {
                logRequests.add(path);
                String pod = path.substring(0, path.indexOf("/log?"));
                pod = pod.substring(pod.lastIndexOf('/') + 1);
                List<String> lines = new ArrayList<>(logs.getOrDefault(pod, List.of()));
                Integer cut = dropAfter.remove(pod);
                if (cut != null) {
                    lines = lines.subList(0, Math.min(cut, lines.size()));
                }
                return new MockResponse().setResponseCode(200)
                        .setBody(lines.isEmpty() ? "" : String.join("\n", lines) + "\n");
            }
            if ("DELETE".equals(request.getMethod())) {
                deletes.add(path + " " + request.getUtf8Body());
            }
            return super.dispatch(request);
        }
    }
}
