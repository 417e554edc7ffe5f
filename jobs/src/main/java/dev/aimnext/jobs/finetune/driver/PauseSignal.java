package dev.aimnext.jobs.finetune.driver;

import java.util.concurrent.CountDownLatch;

/**
 * A request to pause the run: set by the driver's SIGTERM hook (or a test), read by the attempt
 * loop, which passes it on to the trainer and records PAUSED once the trainer has exited.
 */
public final class PauseSignal {

    private final CountDownLatch requested = new CountDownLatch(1);

    public void request() {
        requested.countDown();
    }

    public boolean requested() {
        return requested.getCount() == 0;
    }
}
