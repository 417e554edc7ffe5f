package dev.aimnext.operators.qos.sim.internal;

import dev.aimnext.operators.qos.placement.Priority;
import dev.aimnext.operators.qos.sim.InterferenceModel;
import dev.aimnext.operators.qos.sim.ModelStats;
import dev.aimnext.operators.qos.sim.ModelWorkload;
import dev.aimnext.operators.qos.sim.ServingProfile;
import dev.aimnext.schemas.event.RequestPriority;
import dev.aimnext.schemas.event.RequestStatus;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * One model's serving engine: its arrivals, waiting queue, running batch and KV cache, stepping as
 * vLLM's scheduler does. At each step boundary it admits waiting requests in arrival order while
 * their context fits the KV budget, the batch size and the prefill token budget; if it admitted any,
 * the step prefills them (the others wait), otherwise it decodes one token for every running request.
 * When a decode step would overflow the KV budget, the newest running request is preempted: its KV
 * is freed and it goes back to the head of the queue, to be prefilled again with what it generated
 * (vLLM's recompute preemption).
 *
 * <p>Each model draws from three streams split from the seed and its name: arrivals and token
 * counts (its {@link TrafficSource}) and step jitter.
 */
public final class ModelEngine {

    private static final double NEVER = Double.POSITIVE_INFINITY;

    private enum StepKind { IDLE, PREFILL, DECODE, RELOAD }

    final int index;
    final String model;
    private final TrafficSource traffic;
    private final ServingProfile serving;
    private final InterferenceModel interference;
    private final double requestTimeoutMs;
    private final SimRandom stepRandom;
    private final RequestPool pool;
    private final TelemetryEmitter emitter;

    // Placement state, kept in step with the simulator's GpuPlacement by ServingState and PlanActuator.
    int partition;
    String partitionId;
    double computeShare;
    Priority priority;
    long weightBytes;
    long kvBudgetTokens;
    int maxInFlight = Integer.MAX_VALUE;

    private final ArrayDeque<SimRequest> waiting = new ArrayDeque<>();
    private SimRequest[] running;
    private int runningCount;
    private long kvTokensInUse;
    private long nextSeq;
    private double nextArrivalMs;
    private StepKind kind = StepKind.IDLE;
    private double stepStartMs;
    private double stepEndMs = NEVER;
    private double busyAccumMs;
    private double busyMarkMs;
    private long arrived;
    private long completed;
    private long rejected;
    private long timedOut;
    private long failed;
    private long preemptions;

    ModelEngine(int index, ModelWorkload workload, InterferenceModel interference, long requestTimeoutMs, long seed,
            RequestPool pool, TelemetryEmitter emitter) {
        this.index = index;
        this.model = workload.model();
        this.serving = workload.serving();
        this.interference = interference;
        this.requestTimeoutMs = requestTimeoutMs;
        this.pool = pool;
        this.emitter = emitter;
        // String.hashCode is specified, so the per-model streams are the same on every JVM.
        SplittableRandom root = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + model.hashCode());
        this.traffic = new TrafficSource(workload, new SimRandom(root.split()), new SimRandom(root.split()));
        this.stepRandom = new SimRandom(root.split());
        this.running = new SimRequest[Math.min(serving.maxBatchSize(), 64)];
        this.nextArrivalMs = traffic.nextArrivalAfter(0);
    }

    double nextArrivalMs() {
        return nextArrivalMs;
    }

    double stepEndMs() {
        return stepEndMs;
    }

    /** Whether it is executing requests now, and so slows down its neighbours. */
    boolean active() {
        return runningCount > 0 && kind != StepKind.RELOAD;
    }

    /** Whether it waits for work: no step running and not reloading. */
    boolean idle() {
        return kind == StepKind.IDLE;
    }

    RequestPriority telemetryPriority() {
        return switch (priority) {
            case HIGH -> RequestPriority.HIGH;
            case MEDIUM -> RequestPriority.NORMAL;
            case LOW -> RequestPriority.LOW;
        };
    }

    long memoryInUseBytes() {
        return weightBytes + kvTokensInUse * serving.kvBytesPerToken();
    }

    long kvBytesPerToken() {
        return serving.kvBytesPerToken();
    }

    /** Takes the arrival due now; returns whether the engine should start a step. */
    boolean arrive(double now) {
        SimRequest r = pool.take();
        // Drawn before deciding anything, so the token stream does not depend on plans.
        traffic.drawLengths();
        r.reset(nextSeq++, now, traffic.prompt(), traffic.output());
        arrived++;
        nextArrivalMs = traffic.nextArrivalAfter(now);
        if (waiting.size() + runningCount >= maxInFlight) {
            rejected++;
            emitter.request(this, partitionId, r, RequestStatus.REJECTED, now);
            pool.release(r);
            return false;
        }
        waiting.addLast(r);
        return idle();
    }

    /** Ends the step due now: hands out tokens and reports the requests that finished. */
    void finishStep(double now) {
        StepKind finished = kind;
        if (finished == StepKind.PREFILL || finished == StepKind.DECODE) {
            busyAccumMs += now - Math.max(stepStartMs, busyMarkMs);
        }
        kind = StepKind.IDLE;
        stepEndMs = NEVER;
        if (finished == StepKind.RELOAD || finished == StepKind.IDLE) {
            return;
        }
        int kept = 0;
        for (int i = 0; i < runningCount; i++) {
            SimRequest r = running[i];
            running[i] = null;
            if (finished == StepKind.DECODE || r.inPrefill) {
                r.inPrefill = false;
                r.generated++;
                kvTokensInUse++;
                if (r.firstTokenMs < 0) {
                    r.firstTokenMs = now;
                }
            }
            if (r.generated >= r.outputTokens) {
                completed++;
                kvTokensInUse -= r.kvTokens();
                emitter.request(this, partitionId, r, RequestStatus.OK, now);
                pool.release(r);
            } else {
                running[kept++] = r;
            }
        }
        runningCount = kept;
    }

    /** Starts the next step at {@code now}, or stays idle without work. */
    void startStep(double now, double neighbourWeight) {
        long prefillTokens = admit(now);
        double ms;
        if (prefillTokens > 0) {
            kind = StepKind.PREFILL;
            ms = serving.prefillMs(prefillTokens) * interference.slowdown(true, neighbourWeight, jitter(neighbourWeight));
        } else {
            while (runningCount > 0 && kvTokensInUse + runningCount > kvBudgetTokens) {
                if (runningCount == 1) {
                    fail(removeNewest(), now);
                } else {
                    requeue(removeNewest());
                }
            }
            if (runningCount == 0) {
                return;
            }
            kind = StepKind.DECODE;
            ms = serving.decodeMs(runningCount) * interference.slowdown(false, neighbourWeight, jitter(neighbourWeight));
        }
        stepStartMs = now;
        stepEndMs = now + ms / computeShare;
    }

    /** Admits waiting requests into the batch; returns the context tokens the step must prefill. */
    private long admit(double now) {
        long tokens = 0;
        while (!waiting.isEmpty()) {
            SimRequest head = waiting.peekFirst();
            if (now - head.arrivalMs > requestTimeoutMs) {
                waiting.pollFirst();
                timedOut++;
                emitter.request(this, partitionId, head, RequestStatus.TIMEOUT, now);
                pool.release(head);
                continue;
            }
            long need = head.kvTokens();
            if (runningCount >= serving.maxBatchSize() || (tokens > 0 && tokens + need > serving.maxBatchedTokens())) {
                break;
            }
            // One token of headroom: the prefill itself produces the first output token.
            if (kvTokensInUse + need + 1 > kvBudgetTokens) {
                if (runningCount == 0) {
                    waiting.pollFirst();
                    fail(head, now);
                    continue;
                }
                break;
            }
            waiting.pollFirst();
            head.inPrefill = true;
            kvTokensInUse += need;
            tokens += need;
            if (runningCount == running.length) {
                running = Arrays.copyOf(running, Math.min(serving.maxBatchSize(), running.length * 2));
            }
            running[runningCount++] = head;
        }
        return tokens;
    }

    private double jitter(double neighbourWeight) {
        return neighbourWeight > 0 ? stepRandom.gaussian() : 0;
    }

    /**
     * Goes offline for {@code downtimeMs} to reload in another partition: running requests lose
     * their KV and queue again, and arrivals keep queueing until the reload is over.
     */
    void reload(double now, double downtimeMs) {
        if (kind == StepKind.PREFILL || kind == StepKind.DECODE) {
            busyAccumMs += now - Math.max(stepStartMs, busyMarkMs);
        }
        while (runningCount > 0) {
            requeue(removeNewest());
        }
        kind = StepKind.RELOAD;
        stepStartMs = now;
        stepEndMs = now + downtimeMs;
    }

    /** Sets the KV budget, preempting the newest running requests until the rest fit. */
    void resizeKv(long budgetBytes) {
        kvBudgetTokens = budgetBytes / serving.kvBytesPerToken();
        while (runningCount > 0 && kvTokensInUse > kvBudgetTokens) {
            requeue(removeNewest());
        }
    }

    /** Compute time since the last call, of finished steps and of the one under way. */
    double takeBusyMs(double now) {
        double busy = busyAccumMs;
        if (kind == StepKind.PREFILL || kind == StepKind.DECODE) {
            busy += now - Math.max(stepStartMs, busyMarkMs);
        }
        busyAccumMs = 0;
        busyMarkMs = now;
        return busy;
    }

    ModelStats stats() {
        return new ModelStats(model, arrived, completed, rejected, timedOut, failed, preemptions, waiting.size(), runningCount);
    }

    private SimRequest removeNewest() {
        SimRequest r = running[--runningCount];
        running[runningCount] = null;
        kvTokensInUse -= r.kvTokens();
        r.inPrefill = false;
        return r;
    }

    private void requeue(SimRequest r) {
        preemptions++;
        waiting.addFirst(r);
    }

    /** Reports a request whose context cannot fit the KV budget even alone. */
    private void fail(SimRequest r, double now) {
        failed++;
        emitter.request(this, partitionId, r, RequestStatus.ERROR, now);
        pool.release(r);
    }
}
