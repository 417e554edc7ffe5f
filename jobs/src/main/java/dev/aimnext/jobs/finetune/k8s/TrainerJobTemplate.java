package dev.aimnext.jobs.finetune.k8s;

import dev.aimnext.jobs.finetune.launch.TrainerLaunch;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The batch/v1 Job of one trainer attempt. One pod, never restarted and never retried by Kubernetes
 * ({@code restartPolicy: Never}, {@code backoffLimit: 0}): the driver decides about retries from the
 * exit code and resumes from the last complete checkpoint, which Kubernetes cannot know about. GPUs are
 * requested as limits of the extended resource ({@code amd.com/gpu} or {@code nvidia.com/gpu}), which is
 * how device plugins expose them; for extended resources the request equals the limit.
 */
public final class TrainerJobTemplate {

    /** The trainer container's name, also the one whose logs and exit code the handle reads. */
    public static final String CONTAINER = "trainer";
    public static final String LABEL_RUN_ID = "aim.amd.com/run-id";
    public static final String LABEL_ATTEMPT = "aim.amd.com/attempt";
    /** The run id as given, since a label value may not hold every run id. */
    public static final String ANNOTATION_RUN_ID = "aim.amd.com/run-id";
    /** Set by the Job controller on its pods (also as batch.kubernetes.io/job-name since 1.27). */
    public static final String LABEL_JOB_NAME = "job-name";

    private static final int MAX_NAME = 63;

    private TrainerJobTemplate() {}

    /**
     * The Job for {@code launch}.
     *
     * @throws IOException when the run folder or config file lie outside the runs volume (the pod could
     *     not see them), or the launch has no image or command
     */
    public static Job build(TrainerLaunch launch, KubernetesTrainerSettings settings) throws IOException {
        check(launch, settings);
        String name = jobName(launch.runId(), launch.attempt());
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("app.kubernetes.io/name", "aim-trainer");
        labels.put("app.kubernetes.io/managed-by", "aim-finetune");
        labels.put(LABEL_RUN_ID, labelValue(launch.runId()));
        labels.put(LABEL_ATTEMPT, Integer.toString(launch.attempt()));
        return new JobBuilder()
                .withNewMetadata()
                    .withName(name)
                    .withNamespace(settings.namespace())
                    .withLabels(labels)
                    .addToAnnotations(ANNOTATION_RUN_ID, launch.runId())
                .endMetadata()
                .withNewSpec()
                    .withBackoffLimit(0)
                    // No replacement pod while a paused (terminating) one still saves its checkpoint: two
                    // trainers would write the same run folder. Clusters before 1.28 ignore the field.
                    .withPodReplacementPolicy("Failed")
                    .withTtlSecondsAfterFinished(Math.toIntExact(settings.ttlAfterFinished().toSeconds()))
                    .withNewTemplate()
                        .withNewMetadata()
                            .withLabels(labels)
                            .addToAnnotations(ANNOTATION_RUN_ID, launch.runId())
                        .endMetadata()
                        .withNewSpec()
                            .withRestartPolicy("Never")
                            .withTerminationGracePeriodSeconds(settings.pauseGracePeriod().toSeconds())
                            .withServiceAccountName(settings.serviceAccount())
                            .withNodeSelector(settings.nodeSelector().isEmpty() ? null : settings.nodeSelector())
                            .withContainers(container(launch, settings))
                            .withVolumes(volumes(settings))
                        .endSpec()
                    .endTemplate()
                .endSpec()
                .build();
    }

    private static Container container(TrainerLaunch launch, KubernetesTrainerSettings settings) {
        List<String> command = new ArrayList<>(launch.command());
        command.add("--config");
        command.add(launch.configFile().toAbsolutePath().normalize().toString());
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PYTHONUNBUFFERED", "1"); // every log line reaches the driver as soon as it is printed
        env.putAll(launch.environment());
        List<EnvVar> vars = env.entrySet().stream().map(e -> new EnvVar(e.getKey(), e.getValue(), null)).toList();
        ContainerBuilder container = new ContainerBuilder()
                .withName(CONTAINER)
                .withImage(launch.image())
                .withImagePullPolicy(settings.imagePullPolicy())
                .withCommand(command)
                .withEnv(vars)
                .withVolumeMounts(mounts(settings));
        if (launch.gpus() > 0) {
            container.withNewResources()
                    .addToLimits(launch.gpuResource(), new Quantity(Integer.toString(launch.gpus())))
                    .endResources();
        }
        return container.build();
    }

    private static List<VolumeMount> mounts(KubernetesTrainerSettings settings) {
        List<VolumeMount> mounts = new ArrayList<>();
        mounts.add(mount("runs", settings.runsMountPath().toString(), false));
        if (settings.dataClaim() != null) {
            mounts.add(mount("data", settings.dataMountPath().toString(), true)); // the trainer only reads there
        }
        if (settings.shmSize() != null) {
            mounts.add(mount("shm", "/dev/shm", false));
        }
        return mounts;
    }

    private static VolumeMount mount(String name, String path, boolean readOnly) {
        return new VolumeMountBuilder().withName(name).withMountPath(path).withReadOnly(readOnly).build();
    }

    private static List<Volume> volumes(KubernetesTrainerSettings settings) {
        List<Volume> volumes = new ArrayList<>();
        volumes.add(new VolumeBuilder().withName("runs")
                .withNewPersistentVolumeClaim().withClaimName(settings.runsClaim()).endPersistentVolumeClaim().build());
        if (settings.dataClaim() != null) {
            volumes.add(new VolumeBuilder().withName("data")
                    .withNewPersistentVolumeClaim().withClaimName(settings.dataClaim()).withReadOnly(true)
                    .endPersistentVolumeClaim().build());
        }
        if (settings.shmSize() != null) {
            // The container runtime's default /dev/shm is 64 MiB, too small for data loader workers.
            volumes.add(new VolumeBuilder().withName("shm")
                    .withNewEmptyDir().withMedium("Memory").withSizeLimit(new Quantity(settings.shmSize())).endEmptyDir()
                    .build());
        }
        return volumes;
    }

    private static void check(TrainerLaunch launch, KubernetesTrainerSettings settings) throws IOException {
        if (launch.image() == null || launch.image().isBlank()) {
            throw new IOException("no trainer image to run on Kubernetes (set the run's trainer image)");
        }
        if (launch.command().isEmpty()) {
            throw new IOException("no trainer command to run");
        }
        if (launch.gpus() > 0 && (launch.gpuResource() == null || launch.gpuResource().isBlank())) {
            throw new IOException(launch.gpus() + " GPUs asked for, but no GPU resource name (amd.com/gpu or nvidia.com/gpu)");
        }
        Path mount = settings.runsMountPath();
        for (Path p : List.of(launch.runDir(), launch.configFile())) {
            Path absolute = p.toAbsolutePath().normalize();
            if (!absolute.startsWith(mount)) {
                throw new IOException(absolute + " is not below the runs volume's mount path " + mount
                        + ": the trainer pod would not see it; put the runs folder there or set "
                        + KubernetesTrainerOptions.RUNS_MOUNT_PATH.key());
            }
        }
    }

    /** {@code aim-train-<run>-a<attempt>}, a DNS label; long or odd run ids are cut and keep a hash. */
    public static String jobName(String runId, int attempt) {
        String suffix = "-a" + attempt;
        String base = "aim-train-" + dnsSafe(runId);
        if (base.length() + suffix.length() <= MAX_NAME && dnsSafe(runId).equals(runId)) {
            return base + suffix;
        }
        String hash = "-" + shortHash(runId);
        String cut = base.substring(0, Math.min(base.length(), MAX_NAME - suffix.length() - hash.length()));
        return trimDashes(cut) + hash + suffix;
    }

    /** The run id as a label value (63 characters of [A-Za-z0-9._-], alphanumeric at both ends). */
    public static String labelValue(String runId) {
        boolean valid = runId.length() <= MAX_NAME && !runId.isEmpty()
                && runId.chars().allMatch(c -> Character.isLetterOrDigit(c) && c < 128 || c == '-' || c == '_' || c == '.')
                && Character.isLetterOrDigit(runId.charAt(0)) && Character.isLetterOrDigit(runId.charAt(runId.length() - 1));
        if (valid) {
            return runId;
        }
        String hash = shortHash(runId);
        String safe = trimDashes(dnsSafe(runId));
        return (safe.isEmpty() ? "" : safe.substring(0, Math.min(safe.length(), MAX_NAME - 9)) + "-") + hash;
    }

    private static String dnsSafe(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (char c : s.toLowerCase(Locale.ROOT).toCharArray()) {
            out.append((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ? c : '-');
        }
        return out.toString();
    }

    private static String trimDashes(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && s.charAt(start) == '-') {
            start++;
        }
        while (end > start && s.charAt(end - 1) == '-') {
            end--;
        }
        return s.substring(start, end);
    }

    private static String shortHash(String s) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
    }
}
