package dev.aimnext.operators.qos.sim.internal;

import dev.aimnext.operators.qos.sim.TelemetryListener;
import dev.aimnext.schemas.event.GpuProcess;
import dev.aimnext.schemas.event.GpuSample;
import dev.aimnext.schemas.event.RequestStatus;
import dev.aimnext.schemas.event.RequestTelemetry;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns simulator state into the Avro events and hands them to the listener. Avoids the Avro
 * builders, which validate and copy every field and cost more than the simulation itself.
 */
public final class TelemetryEmitter {

    /** What GpuSample.backend says for simulated readings. */
    public static final String BACKEND = "sim";

    private static final int FIRST_PID = 10_000;

    private final TelemetryListener listener;
    private final String node;
    private final String gpuId;
    private long emitted;

    public TelemetryEmitter(TelemetryListener listener, String node, String gpuId) {
        this.listener = listener;
        this.node = node;
        this.gpuId = gpuId;
    }

    /** Events handed to the listener so far. */
    public long emitted() {
        return emitted;
    }

    void request(ModelEngine engine, String partitionId, SimRequest r, RequestStatus status, double nowMs) {
        double ttft = r.firstTokenMs >= 0 ? r.firstTokenMs - r.arrivalMs : 0;
        double tpot = r.generated > 1 ? (nowMs - r.firstTokenMs) / (r.generated - 1) : 0;
        // Setters take primitives; the all-args constructor would box five numbers per event.
        RequestTelemetry t = new RequestTelemetry();
        t.setRequestId(engine.model + "-" + r.seq);
        t.setModel(engine.model);
        t.setNode(node);
        t.setGpuId(gpuId);
        t.setPartitionId(partitionId);
        t.setPriority(engine.telemetryPriority());
        t.setTtftMs(ttft);
        t.setTpotMs(tpot);
        t.setE2eMs(nowMs - r.arrivalMs);
        t.setPromptTokens(r.promptTokens);
        t.setCompletionTokens(r.generated);
        t.setStatus(status);
        t.setEventTimeMs((long) Math.floor(nowMs));
        emitted++;
        listener.onRequest(t);
    }

    /**
     * One reading of a partition: weights plus KV in use of every model placed in it (a model that
     * is reloading counts its weights already), and the share of the interval its models computed.
     */
    public void gpuSample(String partitionId, long partitionBytes, String computeMode, String memoryMode,
            List<ModelEngine> models, double busyMs, long intervalMs, long atMs) {
        long used = 0;
        List<GpuProcess> processes = new ArrayList<>(models.size());
        for (ModelEngine m : models) {
            long bytes = m.memoryInUseBytes();
            used += bytes;
            processes.add(new GpuProcess(FIRST_PID + m.index, "vllm", bytes, m.model));
        }
        double activity = intervalMs > 0 ? Math.min(100, 100 * busyMs / intervalMs) : 0;
        GpuSample sample = new GpuSample(node, gpuId, partitionId, computeMode, memoryMode, used, partitionBytes, activity,
                processes, BACKEND, atMs);
        emitted++;
        listener.onGpuSample(sample);
    }
}
