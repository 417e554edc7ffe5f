package dev.aimnext.operators.qos.rebalance.stage;

import dev.aimnext.operators.qos.placement.GpuPlacement;
import dev.aimnext.operators.qos.placement.ModelSlot;
import dev.aimnext.operators.qos.placement.PartitionSlot;
import dev.aimnext.schemas.event.GpuSample;
import dev.aimnext.schemas.event.QosWindow;

import org.apache.flink.api.java.functions.KeySelector;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * Keys the rebalancer's inputs by GPU id, so one GPU's placement, clocks and histories live in one
 * key's state. QoS windows name a partition and a model, not a GPU: the key is the GPU the initial
 * placement gives for the partition, else for the model, else the partition id up to its first
 * {@code /} (partition ids are {@code <gpu>/<partition>}, which also covers partitions a mode change
 * created after the job started).
 */
public final class GpuKeys {

    private GpuKeys() {}

    /** Keys GPU samples by their GPU id. */
    public static KeySelector<GpuSample, String> samples() {
        return GpuSample::getGpuId;
    }

    /** Keys QoS windows by the GPU that serves them, as explained on this class. */
    public static WindowKey windows(Collection<GpuPlacement> placements) {
        Map<String, String> byPartition = new HashMap<>();
        Map<String, String> byModel = new HashMap<>();
        for (GpuPlacement g : placements) {
            for (PartitionSlot p : g.partitions()) {
                byPartition.put(p.partitionId(), g.gpuId());
                for (ModelSlot m : p.models()) {
                    byModel.putIfAbsent(m.model(), g.gpuId());
                }
            }
        }
        return new WindowKey(byPartition, byModel);
    }

    /** The window key selector; serialisable, holding plain maps from the initial placement. */
    public static final class WindowKey implements KeySelector<QosWindow, String> {

        private static final long serialVersionUID = 1L;

        private final HashMap<String, String> byPartition;
        private final HashMap<String, String> byModel;

        WindowKey(Map<String, String> byPartition, Map<String, String> byModel) {
            this.byPartition = new HashMap<>(byPartition);
            this.byModel = new HashMap<>(byModel);
        }

        @Override
        public String getKey(QosWindow w) {
            String gpu = byPartition.get(w.getPartitionId());
            if (gpu == null) {
                gpu = byModel.get(w.getModel());
            }
            if (gpu == null) {
                int slash = w.getPartitionId().indexOf('/');
                gpu = slash > 0 ? w.getPartitionId().substring(0, slash) : w.getPartitionId();
            }
            return gpu;
        }
    }
}
