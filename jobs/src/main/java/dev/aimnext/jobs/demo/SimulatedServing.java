package dev.aimnext.jobs.demo;

import dev.aimnext.operators.qos.sim.PlanOutcome;
import dev.aimnext.operators.qos.sim.ServingSimulator;
import dev.aimnext.operators.qos.sim.SimulationConfig;
import dev.aimnext.operators.qos.sim.TelemetryListener;
import dev.aimnext.schemas.codec.AvroEventCodec;
import dev.aimnext.schemas.event.GpuSample;
import dev.aimnext.schemas.event.PartitionPlan;
import dev.aimnext.schemas.event.RequestTelemetry;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.nio.charset.StandardCharsets;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Serves the demo's models in simulation: a {@link ServingSimulator} paced against the wall clock,
 * {@code speedup} simulated seconds per real second, whose {@code RequestTelemetry} (key: model) and
 * {@code GpuSample}s (key: GPU id) go to Kafka, Avro single-object encoded, as a gateway and the GPU
 * collector would send them. Event times are {@code epochMs} + simulated time
 * ({@link SimulatedTelemetry}): at speedup 6 a 10 s QoS window closes about every 1.7 s of real time.
 *
 * <p>Plans handed to {@link #apply} (from any thread) are carried out by the simulator at the next
 * step, which closes the loop; the outcome goes to the given consumer.
 */
public final class SimulatedServing implements Runnable, AutoCloseable {

    /** Simulated seconds per real second in the demo. */
    public static final int DEFAULT_SPEEDUP = 6;

    /** Real time between two simulation steps; small enough that records flow steadily. */
    private static final long STEP_MS = 100;

    private final ServingSimulator simulator;
    private final KafkaProducer<byte[], byte[]> producer;
    private final int speedup;
    private final Consumer<PlanOutcome> outcomes;
    private final Queue<PartitionPlan> plans = new ConcurrentLinkedQueue<>();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong samples = new AtomicLong();
    private volatile boolean running = true;

    /**
     * @param epochMs the event time of simulated time 0, normally the demo's start
     * @param outcomes told what the simulator did with each plan given to {@link #apply}
     */
    public SimulatedServing(SimulationConfig config, String bootstrapServers, String requestsTopic, String gpuTopic,
            long epochMs, int speedup, Consumer<PlanOutcome> outcomes) {
        if (speedup < 1) {
            throw new IllegalArgumentException("the simulation speedup must be at least 1, was " + speedup);
        }
        this.producer = new KafkaProducer<>(DemoProducer.producerConfig(bootstrapServers));
        this.simulator = new ServingSimulator(config,
                new SimulatedTelemetry(epochMs, new Publisher(requestsTopic, gpuTopic)));
        this.speedup = speedup;
        this.outcomes = outcomes;
    }

    @Override
    public void run() {
        long started = System.nanoTime();
        while (running) {
            PartitionPlan plan;
            while ((plan = plans.poll()) != null) {
                outcomes.accept(simulator.apply(plan));
            }
            long elapsedMs = (System.nanoTime() - started) / 1_000_000;
            simulator.runUntil(elapsedMs * speedup);
            try {
                Thread.sleep(STEP_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Queues {@code plan} for the simulator; dry-run plans come back as not applied. */
    public void apply(PartitionPlan plan) {
        plans.add(plan);
    }

    /** RequestTelemetry records sent so far. */
    public long requestsSent() {
        return requests.get();
    }

    /** GpuSample records sent so far. */
    public long samplesSent() {
        return samples.get();
    }

    /** Stops at the next step; {@link #close} also closes the producer. */
    public void stop() {
        running = false;
    }

    @Override
    public void close() {
        stop();
        producer.close();
    }

    /** Sends what the simulator produces, keyed as the topic table says. */
    private final class Publisher implements TelemetryListener {

        private final String requestsTopic;
        private final String gpuTopic;
        private final AvroEventCodec<RequestTelemetry> requestCodec = AvroEventCodec.of(RequestTelemetry.class);
        private final AvroEventCodec<GpuSample> gpuCodec = AvroEventCodec.of(GpuSample.class);

        Publisher(String requestsTopic, String gpuTopic) {
            this.requestsTopic = requestsTopic;
            this.gpuTopic = gpuTopic;
        }

        // Record timestamps are left to the producer (now): event times run ahead of the wall clock
        // by (speedup - 1) x the elapsed time, and brokers refuse timestamps too far in the future.
        @Override
        public void onRequest(RequestTelemetry telemetry) {
            producer.send(new ProducerRecord<>(requestsTopic, telemetry.getModel().getBytes(StandardCharsets.UTF_8),
                    requestCodec.encode(telemetry)));
            requests.incrementAndGet();
        }

        @Override
        public void onGpuSample(GpuSample sample) {
            producer.send(new ProducerRecord<>(gpuTopic, sample.getGpuId().getBytes(StandardCharsets.UTF_8),
                    gpuCodec.encode(sample)));
            samples.incrementAndGet();
        }
    }
}
