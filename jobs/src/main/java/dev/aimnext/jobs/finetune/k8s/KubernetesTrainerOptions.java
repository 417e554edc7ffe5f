package dev.aimnext.jobs.finetune.k8s;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Settings of the fine-tuning driver's Kubernetes backend ({@link KubernetesTrainerBackend}). The
 * trainer config holds absolute paths (run folder, dataset, model), so the volumes must be mounted in
 * the trainer pod at the same paths the driver sees them.
 */
public final class KubernetesTrainerOptions {

    private KubernetesTrainerOptions() {}

    public static final ConfigOption<String> NAMESPACE =
            ConfigOptions.key("aim.finetune.kubernetes.namespace")
                    .stringType()
                    .noDefaultValue()
                    .withDescription("Namespace of the trainer Jobs; default: the kubeconfig's or the driver pod's own.");

    public static final ConfigOption<String> RUNS_CLAIM =
            ConfigOptions.key("aim.finetune.kubernetes.runs-claim")
                    .stringType()
                    .noDefaultValue()
                    .withDescription("PersistentVolumeClaim holding the runs folder (checkpoints, events, trainer config); required.");

    public static final ConfigOption<String> RUNS_MOUNT_PATH =
            ConfigOptions.key("aim.finetune.kubernetes.runs-mount-path")
                    .stringType()
                    .defaultValue("/runs")
                    .withDescription("Where the runs claim is mounted in the pod; run folders must lie below it for the driver too.");

    public static final ConfigOption<String> DATA_CLAIM =
            ConfigOptions.key("aim.finetune.kubernetes.data-claim")
                    .stringType()
                    .noDefaultValue()
                    .withDescription("PersistentVolumeClaim with the prepared datasets and base models; none when unset.");

    public static final ConfigOption<String> DATA_MOUNT_PATH =
            ConfigOptions.key("aim.finetune.kubernetes.data-mount-path")
                    .stringType()
                    .defaultValue("/data")
                    .withDescription("Where the data claim is mounted in the pod, read-only.");

    public static final ConfigOption<String> SERVICE_ACCOUNT =
            ConfigOptions.key("aim.finetune.kubernetes.service-account")
                    .stringType()
                    .noDefaultValue()
                    .withDescription("Service account of the trainer pods; the namespace's default when unset.");

    public static final ConfigOption<Duration> PAUSE_GRACE_PERIOD =
            ConfigOptions.key("aim.finetune.kubernetes.pause-grace-period")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(10))
                    .withDescription("Time between SIGTERM and SIGKILL on pause: must cover one training step plus one checkpoint save.");

    public static final ConfigOption<String> SHM_SIZE =
            ConfigOptions.key("aim.finetune.kubernetes.shm-size")
                    .stringType()
                    .defaultValue("16Gi")
                    .withDescription("Size of the memory-backed /dev/shm (PyTorch data loaders and collectives); empty for none.");

    public static final ConfigOption<Map<String, String>> NODE_SELECTOR =
            ConfigOptions.key("aim.finetune.kubernetes.node-selector")
                    .mapType()
                    .defaultValue(Map.of())
                    .withDescription("Node labels the trainer pods must match, e.g. amd.com/gpu.product-name:AMD_Instinct_MI300X.");

    public static final ConfigOption<String> IMAGE_PULL_POLICY =
            ConfigOptions.key("aim.finetune.kubernetes.image-pull-policy")
                    .stringType()
                    .defaultValue("IfNotPresent")
                    .withDescription("Always, IfNotPresent or Never.");

    public static final ConfigOption<Duration> TTL_AFTER_FINISHED =
            ConfigOptions.key("aim.finetune.kubernetes.ttl-after-finished")
                    .durationType()
                    .defaultValue(Duration.ofDays(1))
                    .withDescription("How long a finished trainer Job and its pod (with their logs) are kept.");

    /** Every option, for the README table check. */
    public static final List<ConfigOption<?>> ALL = List.of(NAMESPACE, RUNS_CLAIM, RUNS_MOUNT_PATH, DATA_CLAIM,
            DATA_MOUNT_PATH, SERVICE_ACCOUNT, PAUSE_GRACE_PERIOD, SHM_SIZE, NODE_SELECTOR, IMAGE_PULL_POLICY,
            TTL_AFTER_FINISHED);
}
