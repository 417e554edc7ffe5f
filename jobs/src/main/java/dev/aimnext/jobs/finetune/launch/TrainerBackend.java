package dev.aimnext.jobs.finetune.launch;

import java.io.IOException;

/** Starts trainer attempts somewhere: a local subprocess, or a Kubernetes Job. */
public interface TrainerBackend {

    /** {@code local} or {@code kubernetes}, as the spec and the CLI name it. */
    String name();

    /**
     * Starts one attempt and returns at once.
     *
     * @throws IOException when it cannot be started; the message says why (missing python3, API refused, ...)
     */
    TrainerHandle launch(TrainerLaunch launch) throws IOException;
}
