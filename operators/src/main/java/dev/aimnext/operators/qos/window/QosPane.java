package dev.aimnext.operators.qos.window;

import dev.aimnext.operators.qos.sketch.QosAccumulator;

/**
 * One (model, partition) over one 10-second tumbling window: the accumulator itself, so later
 * operators can merge panes into longer windows. A Flink POJO; the accumulator travels with its own
 * serializer.
 */
public class QosPane {

    public String model;
    public String partitionId;
    public long startMs;
    public long endMs;
    public QosAccumulator accumulator;

    public QosPane() {}

    public QosPane(String model, String partitionId, long startMs, long endMs, QosAccumulator accumulator) {
        this.model = model;
        this.partitionId = partitionId;
        this.startMs = startMs;
        this.endMs = endMs;
        this.accumulator = accumulator;
    }
}
