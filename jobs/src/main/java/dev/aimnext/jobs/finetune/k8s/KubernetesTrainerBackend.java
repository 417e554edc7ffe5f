package dev.aimnext.jobs.finetune.k8s;

import dev.aimnext.jobs.finetune.launch.TrainerBackend;
import dev.aimnext.jobs.finetune.launch.TrainerHandle;
import dev.aimnext.jobs.finetune.launch.TrainerLaunch;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;

import org.apache.flink.configuration.Configuration;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.util.Objects;

/**
 * Runs each trainer attempt as a batch/v1 Job ({@link TrainerJobTemplate}) and follows it through a
 * {@link KubernetesTrainerHandle}: pod logs as the output lines, the trainer container's exit code as
 * the attempt's. The driver and the trainer pods share the runs volume, mounted at the same path on
 * both sides, which is how the driver reads the checkpoints the trainer writes.
 */
public final class KubernetesTrainerBackend implements TrainerBackend, AutoCloseable {

    public static final String NAME = "kubernetes";

    private final KubernetesClient client;
    private final KubernetesTrainerSettings settings;
    private final String namespace;

    /** @param client a client for the cluster; the backend closes it in {@link #close()} */
    public KubernetesTrainerBackend(KubernetesClient client, KubernetesTrainerSettings settings) {
        this.client = Objects.requireNonNull(client, "client");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.namespace = settings.namespace() != null ? settings.namespace()
                : Objects.requireNonNullElse(client.getNamespace(), "default");
    }

    /**
     * A backend for the cluster of the current kubeconfig, or the one the driver's pod runs in.
     *
     * @throws IllegalArgumentException when the options are incomplete (see {@link KubernetesTrainerOptions})
     */
    public static KubernetesTrainerBackend fromConfiguration(Configuration conf) {
        KubernetesTrainerSettings settings = KubernetesTrainerSettings.fromConfiguration(conf);
        return new KubernetesTrainerBackend(new KubernetesClientBuilder().build(), settings);
    }

    @Override
    public String name() {
        return NAME;
    }

    /** The namespace the Jobs are created in. */
    public String namespace() {
        return namespace;
    }

    @Override
    public TrainerHandle launch(TrainerLaunch launch) throws IOException {
        Job job = TrainerJobTemplate.build(launch, settings);
        String name = job.getMetadata().getName();
        job.getMetadata().setNamespace(namespace);
        try {
            client.batch().v1().jobs().inNamespace(namespace).resource(job).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
                // Another trainer of this attempt may still write to the run folder; never start a second one.
                throw new IOException("trainer Job " + name + " already exists in namespace " + namespace
                        + " (left by a driver that stopped mid-attempt?); check it has finished, then delete it: "
                        + "kubectl -n " + namespace + " delete job " + name, e);
            }
            throw new IOException("the Kubernetes API refused trainer Job " + name + " in namespace " + namespace
                    + ": " + (e.getStatus() != null && e.getStatus().getMessage() != null
                    ? e.getStatus().getMessage() : e.getMessage()), e);
        }
        return new KubernetesTrainerHandle(client, namespace, name, settings.pauseGracePeriod());
    }

    @Override
    public void close() {
        client.close();
    }
}
