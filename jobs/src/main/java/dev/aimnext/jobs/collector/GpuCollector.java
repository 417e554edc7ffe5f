package dev.aimnext.jobs.collector;

import dev.aimnext.schemas.event.GpuSample;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The sampling loop of {@code aim gpu-collector}: every interval, sample, update the metrics
 * endpoint, and publish to Kafka when a publisher is given.
 *
 * <p>It keeps running through everything but {@link #stop()}: a failed sampling round is reported
 * once per distinct message and the endpoint keeps serving the last good data; a machine without
 * GPUs is reported once and served as empty data. State changes (GPUs appear or go away) are
 * printed when they happen, so the console says what the collector sees without repeating it.
 */
public final class GpuCollector implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(GpuCollector.class);

    private final GpuSampler sampler;
    private final MetricsEndpoint endpoint;
    private final Optional<GpuSamplePublisher> publisher;
    private final Duration interval;
    private final PrintStream out;
    private final String noGpuExplanation;
    private final Clock clock;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile long rounds;
    private Boolean sawGpus; // null until the first round
    private String lastFailure;

    /**
     * @param noGpuExplanation printed with the "no GPU" line, e.g. the runtime's fallback reason
     */
    public GpuCollector(GpuSampler sampler, MetricsEndpoint endpoint, Optional<GpuSamplePublisher> publisher,
            Duration interval, PrintStream out, String noGpuExplanation, Clock clock) {
        if (interval.isZero() || interval.isNegative()) {
            throw new IllegalArgumentException("sampling interval must be positive, got " + interval);
        }
        this.sampler = sampler;
        this.endpoint = endpoint;
        this.publisher = publisher;
        this.interval = interval;
        this.out = out;
        this.noGpuExplanation = noGpuExplanation;
        this.clock = clock;
    }

    /** Samples until {@link #stop()}. */
    @Override
    public void run() {
        try {
            do {
                sampleOnce();
            } while (!stopped.await(interval.toMillis(), TimeUnit.MILLISECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One round: sample, serve, publish. */
    public void sampleOnce() {
        List<GpuSample> samples;
        try {
            samples = sampler.sample();
        } catch (RuntimeException e) {
            if (!e.toString().equals(lastFailure)) {
                lastFailure = e.toString();
                out.println("GPU sampling failed, serving the last good data: " + e.getMessage());
                LOG.warn("GPU sampling failed", e);
            }
            return;
        }
        lastFailure = null;
        reportGpuPresence(!samples.isEmpty(), samples.size());
        endpoint.update(GpuMetricsExposition.render(sampler.node(), samples, clock.millis()));
        publisher.ifPresent(p -> p.publish(samples));
        rounds++;
    }

    private void reportGpuPresence(boolean present, int partitions) {
        if (sawGpus != null && sawGpus == present) {
            return;
        }
        sawGpus = present;
        if (present) {
            out.printf("Sampling %d GPU partition(s) on node %s every %d s.%n", partitions, sampler.node(),
                    interval.toSeconds());
        } else {
            out.printf("No GPU found on node %s (%s); serving empty data and checking again every %d s.%n",
                    sampler.node(), noGpuExplanation, interval.toSeconds());
        }
        out.flush();
    }

    /** Completed sampling rounds. */
    public long rounds() {
        return rounds;
    }

    public void stop() {
        stopped.countDown();
    }
}
