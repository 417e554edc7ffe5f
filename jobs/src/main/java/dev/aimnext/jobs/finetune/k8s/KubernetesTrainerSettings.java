package dev.aimnext.jobs.finetune.k8s;

import org.apache.flink.configuration.Configuration;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The checked values of {@link KubernetesTrainerOptions}.
 *
 * @param namespace null for the client's default namespace
 * @param dataClaim null when the pods get no data volume
 * @param serviceAccount null for the namespace's default
 * @param shmSize a Kubernetes quantity such as {@code 16Gi}, or null for no {@code /dev/shm} volume
 */
public record KubernetesTrainerSettings(String namespace, String runsClaim, Path runsMountPath, String dataClaim,
        Path dataMountPath, String serviceAccount, Duration pauseGracePeriod, String shmSize,
        Map<String, String> nodeSelector, String imagePullPolicy, Duration ttlAfterFinished) {

    private static final Set<String> PULL_POLICIES = Set.of("Always", "IfNotPresent", "Never");

    public KubernetesTrainerSettings {
        Objects.requireNonNull(runsClaim, "runsClaim");
        nodeSelector = Map.copyOf(nodeSelector);
        List<String> problems = new ArrayList<>();
        if (!runsMountPath.isAbsolute()) {
            problems.add(KubernetesTrainerOptions.RUNS_MOUNT_PATH.key() + " must be absolute, was " + runsMountPath);
        }
        if (dataClaim != null && !dataMountPath.isAbsolute()) {
            problems.add(KubernetesTrainerOptions.DATA_MOUNT_PATH.key() + " must be absolute, was " + dataMountPath);
        }
        if (dataClaim != null && (runsMountPath.startsWith(dataMountPath) || dataMountPath.startsWith(runsMountPath))) {
            problems.add("the runs mount " + runsMountPath + " and the data mount " + dataMountPath + " must not nest");
        }
        if (pauseGracePeriod.isNegative() || pauseGracePeriod.toSeconds() < 1) {
            problems.add(KubernetesTrainerOptions.PAUSE_GRACE_PERIOD.key() + " must be at least 1 s, was " + pauseGracePeriod);
        }
        if (!PULL_POLICIES.contains(imagePullPolicy)) {
            problems.add(KubernetesTrainerOptions.IMAGE_PULL_POLICY.key() + " must be Always, IfNotPresent or Never, was "
                    + imagePullPolicy);
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("Kubernetes trainer settings: " + String.join("; ", problems));
        }
    }

    /**
     * Reads the options.
     *
     * @throws IllegalArgumentException when the runs claim is missing or a value is out of range
     */
    public static KubernetesTrainerSettings fromConfiguration(Configuration conf) {
        String runsClaim = blankToNull(conf.get(KubernetesTrainerOptions.RUNS_CLAIM));
        if (runsClaim == null) {
            throw new IllegalArgumentException(KubernetesTrainerOptions.RUNS_CLAIM.key()
                    + " is required: the trainer pods write checkpoints to that claim and the driver reads them back");
        }
        return new KubernetesTrainerSettings(
                blankToNull(conf.get(KubernetesTrainerOptions.NAMESPACE)),
                runsClaim,
                Path.of(conf.get(KubernetesTrainerOptions.RUNS_MOUNT_PATH)).normalize(),
                blankToNull(conf.get(KubernetesTrainerOptions.DATA_CLAIM)),
                Path.of(conf.get(KubernetesTrainerOptions.DATA_MOUNT_PATH)).normalize(),
                blankToNull(conf.get(KubernetesTrainerOptions.SERVICE_ACCOUNT)),
                conf.get(KubernetesTrainerOptions.PAUSE_GRACE_PERIOD),
                blankToNull(conf.get(KubernetesTrainerOptions.SHM_SIZE)),
                conf.get(KubernetesTrainerOptions.NODE_SELECTOR),
                conf.get(KubernetesTrainerOptions.IMAGE_PULL_POLICY),
                conf.get(KubernetesTrainerOptions.TTL_AFTER_FINISHED));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
