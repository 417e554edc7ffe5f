package dev.aimnext.jobs.finetune.k8s;

import dev.aimnext.jobs.finetune.launch.TrainerLaunch;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.batch.v1.Job;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TrainerJobTemplateTest {

    static final KubernetesTrainerSettings SETTINGS = new KubernetesTrainerSettings("ml", "aim-runs", Path.of("/runs"),
            "aim-data", Path.of("/data"), "trainer", Duration.ofMinutes(10), "16Gi",
            Map.of("amd.com/gpu.product-name", "AMD_Instinct_MI300X"), "IfNotPresent", Duration.ofDays(1));

    static TrainerLaunch launch(String runId, int attempt, int gpus, String resource) {
        Path runDir = Path.of("/runs", runId);
        return new TrainerLaunch(runId, attempt, runDir, runDir.resolve("trainer-config.json"),
                List.of("python3", "-m", "aim_trainer"), Map.of("HF_HUB_OFFLINE", "1"),
                "registry.example/aim-trainer:0.1.0", gpus, resource);
    }

    @Test
    void oneNeverRestartedPodWithTheTrainerCommandAndLabels() throws IOException {
        Job job = TrainerJobTemplate.build(launch("llama8b-chat-20261128-0012", 3, 1, "amd.com/gpu"), SETTINGS);
        assertThat(job.getMetadata().getName()).isEqualTo("aim-train-llama8b-chat-20261128-0012-a3");
        assertThat(job.getMetadata().getLabels())
                .containsEntry("aim.amd.com/run-id", "llama8b-chat-20261128-0012")
                .containsEntry("aim.amd.com/attempt", "3");
        assertThat(job.getSpec().getBackoffLimit()).isZero();
        assertThat(job.getSpec().getPodReplacementPolicy()).isEqualTo("Failed");
        assertThat(job.getSpec().getTtlSecondsAfterFinished()).isEqualTo(86_400);
        assertThat(job.getSpec().getTemplate().getMetadata().getLabels()).isEqualTo(job.getMetadata().getLabels());
        PodSpec pod = job.getSpec().getTemplate().getSpec();
        assertThat(pod.getRestartPolicy()).isEqualTo("Never");
        assertThat(pod.getTerminationGracePeriodSeconds()).isEqualTo(600L);
        assertThat(pod.getServiceAccountName()).isEqualTo("trainer");
        assertThat(pod.getNodeSelector()).containsEntry("amd.com/gpu.product-name", "AMD_Instinct_MI300X");
        Container c = pod.getContainers().get(0);
        assertThat(c.getName()).isEqualTo("trainer");
        assertThat(c.getImage()).isEqualTo("registry.example/aim-trainer:0.1.0");
        assertThat(c.getCommand()).containsExactly("python3", "-m", "aim_trainer", "--config",
                "/runs/llama8b-chat-20261128-0012/trainer-config.json");
        assertThat(c.getEnv()).extracting(e -> e.getName() + "=" + e.getValue())
                .containsExactly("PYTHONUNBUFFERED=1", "HF_HUB_OFFLINE=1");
    }

    @Test
    void gpusAreLimitsOfTheVendorsResource() throws IOException {
        Container amd = container(TrainerJobTemplate.build(launch("r", 1, 8, "amd.com/gpu"), SETTINGS));
        assertThat(amd.getResources().getLimits()).containsOnly(Map.entry("amd.com/gpu", new Quantity("8")));
        Container nvidia = container(TrainerJobTemplate.build(launch("r", 1, 1, "nvidia.com/gpu"), SETTINGS));
        assertThat(nvidia.getResources().getLimits()).containsOnly(Map.entry("nvidia.com/gpu", new Quantity("1")));
        assertThat(container(TrainerJobTemplate.build(launch("r", 1, 0, null), SETTINGS)).getResources()).isNull();
        assertThatThrownBy(() -> TrainerJobTemplate.build(launch("r", 1, 2, " "), SETTINGS))
                .hasMessageContaining("2 GPUs asked for, but no GPU resource name");
    }

    @Test
    void runsDataAndShmVolumes() throws IOException {
        PodSpec pod = TrainerJobTemplate.build(launch("r", 1, 1, "amd.com/gpu"), SETTINGS).getSpec().getTemplate().getSpec();
        assertThat(pod.getVolumes()).extracting(v -> v.getName() + ":"
                        + (v.getPersistentVolumeClaim() != null ? v.getPersistentVolumeClaim().getClaimName()
                        + (Boolean.TRUE.equals(v.getPersistentVolumeClaim().getReadOnly()) ? "(ro)" : "")
                        : v.getEmptyDir().getMedium() + "/" + v.getEmptyDir().getSizeLimit()))
                .containsExactly("runs:aim-runs", "data:aim-data(ro)", "shm:Memory/16Gi");
        assertThat(pod.getContainers().get(0).getVolumeMounts())
                .extracting(m -> m.getName() + "@" + m.getMountPath() + (m.getReadOnly() ? "(ro)" : ""))
                .containsExactly("runs@/runs", "data@/data(ro)", "shm@/dev/shm");

        KubernetesTrainerSettings runsOnly = new KubernetesTrainerSettings(null, "aim-runs", Path.of("/runs"), null,
                Path.of("/data"), null, Duration.ofSeconds(30), null, Map.of(), "Always", Duration.ofHours(1));
        PodSpec minimal = TrainerJobTemplate.build(launch("r", 1, 1, "amd.com/gpu"), runsOnly).getSpec().getTemplate().getSpec();
        assertThat(minimal.getVolumes()).extracting(v -> v.getName()).containsExactly("runs");
        assertThat(minimal.getNodeSelector()).isNullOrEmpty();
        assertThat(minimal.getServiceAccountName()).isNull();
    }

    @Test
    void aRunFolderTheTrainerPodCannotSeeIsRefused() {
        Path elsewhere = Path.of("/home/me/runs/r");
        TrainerLaunch outside = new TrainerLaunch("r", 1, elsewhere, elsewhere.resolve("trainer-config.json"),
                List.of("python3", "-m", "aim_trainer"), Map.of(), "img", 1, "amd.com/gpu");
        assertThatThrownBy(() -> TrainerJobTemplate.build(outside, SETTINGS))
                .isInstanceOf(IOException.class)
                .hasMessage("/home/me/runs/r is not below the runs volume's mount path /runs: the trainer pod would not "
                        + "see it; put the runs folder there or set aim.finetune.kubernetes.runs-mount-path");
        TrainerLaunch noImage = new TrainerLaunch("r", 1, Path.of("/runs/r"), Path.of("/runs/r/c.json"),
                List.of("python3"), Map.of(), "", 1, "amd.com/gpu");
        assertThatThrownBy(() -> TrainerJobTemplate.build(noImage, SETTINGS)).hasMessageContaining("no trainer image");
    }

    @Test
    void namesAndLabelValuesStayValidForAnyRunId() {
        String longId = "Qwen2.5-7B_instruct/support-bot-" + "x".repeat(60);
        String name = TrainerJobTemplate.jobName(longId, 12);
        assertThat(name).hasSizeLessThanOrEqualTo(63).matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?").endsWith("-a12")
                .startsWith("aim-train-qwen2-5-7b-instruct-support-bot-");
        assertThat(TrainerJobTemplate.jobName(longId, 12)).isEqualTo(name);
        assertThat(TrainerJobTemplate.jobName("Run_A", 1)).isNotEqualTo(TrainerJobTemplate.jobName("run-a", 1));
        String label = TrainerJobTemplate.labelValue(longId);
        assertThat(label).hasSizeLessThanOrEqualTo(63).matches("[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?");
        assertThat(TrainerJobTemplate.labelValue("run-7.b_1")).isEqualTo("run-7.b_1");
        assertThat(TrainerJobTemplate.labelValue("-")).matches("[0-9a-f]{8}");
    }

    @Test
    void settingsAreCheckedTogether() {
        assertThatThrownBy(() -> new KubernetesTrainerSettings(null, "c", Path.of("runs"), "d", Path.of("/runs/data"),
                null, Duration.ZERO, null, Map.of(), "Sometimes", Duration.ofDays(1)))
                .hasMessageContaining("runs-mount-path must be absolute")
                .hasMessageContaining("pause-grace-period must be at least 1 s")
                .hasMessageContaining("image-pull-policy must be Always, IfNotPresent or Never, was Sometimes");
        assertThatThrownBy(() -> new KubernetesTrainerSettings(null, "c", Path.of("/mnt"), "d", Path.of("/mnt/data"),
                null, Duration.ofMinutes(1), null, Map.of(), "Always", Duration.ofDays(1)))
                .hasMessageContaining("must not nest");
    }

    private static Container container(Job job) {
        return job.getSpec().getTemplate().getSpec().getContainers().get(0);
    }
}
