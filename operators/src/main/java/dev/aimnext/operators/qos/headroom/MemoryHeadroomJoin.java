package dev.aimnext.operators.qos.headroom;

import dev.aimnext.operators.qos.window.PartitionAddress;
import dev.aimnext.operators.qos.window.QosReport;
import dev.aimnext.schemas.event.GpuSample;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Fills {@code memoryHeadroomBytes} of each QoS window with the partition's latest free VRAM,
 * {@code vramLimitBytes - vramUsedBytes}, from GPU samples. Both inputs are keyed by {@link
 * PartitionAddress}. "Latest" is by sample time: an older sample arriving late does not replace a
 * newer one. A sample whose usage the collector could not read ({@code -1}) is ignored, and a window
 * whose partition has had no usable sample yet leaves the field null rather than guessing.
 */
public final class MemoryHeadroomJoin extends KeyedCoProcessFunction<String, QosReport, GpuSample, QosReport> {

    private static final long serialVersionUID = 1L;

    private transient ValueState<Long> headroom;
    private transient ValueState<Long> sampledAt;

    @Override
    public void open(OpenContext openContext) {
        headroom = getRuntimeContext().getState(new ValueStateDescriptor<>("headroom-bytes", Types.LONG));
        sampledAt = getRuntimeContext().getState(new ValueStateDescriptor<>("headroom-sampled-at", Types.LONG));
    }

    @Override
    public void processElement1(QosReport report, Context ctx, Collector<QosReport> out) throws Exception {
        report.window.setMemoryHeadroomBytes(headroom.value());
        out.collect(report);
    }

    @Override
    public void processElement2(GpuSample sample, Context ctx, Collector<QosReport> out) throws Exception {
        if (sample.getVramUsedBytes() < 0) {
            return;
        }
        Long previous = sampledAt.value();
        if (previous != null && previous > sample.getSampledAtMs()) {
            return;
        }
        sampledAt.update(sample.getSampledAtMs());
        headroom.update(sample.getVramLimitBytes() - sample.getVramUsedBytes());
    }

    /** Keys windows by their partition. */
    public static final class WindowPartition implements KeySelector<QosReport, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getKey(QosReport report) {
            return report.window.getPartitionId();
        }
    }

    /** Keys samples by the same address telemetry uses. */
    public static final class SamplePartition implements KeySelector<GpuSample, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getKey(GpuSample sample) {
            return PartitionAddress.of(sample.getGpuId(), sample.getPartitionId());
        }
    }
}
