package dev.aimnext.operators.qos.rebalance;

import dev.aimnext.operators.qos.placement.GpuPlacement;
import dev.aimnext.operators.qos.placement.ModelSlot;
import dev.aimnext.operators.qos.placement.PartitionSlot;

import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * Writes placements in the {@link PlacementLoader} format, as JSON with byte counts, so that
 * {@code load(write(p))} gives {@code p} back exactly. The Flink operator keeps the placement in
 * state this way: readable in a state dump and independent of how Flink would serialise records.
 */
public final class PlacementWriter {

    private PlacementWriter() {}

    public static String write(GpuPlacement placement) {
        return write(List.of(placement));
    }

    public static String write(Collection<GpuPlacement> placements) {
        StringBuilder out = new StringBuilder("{\"gpus\": [");
        String gpuSep = "";
        for (GpuPlacement g : placements) {
            out.append(gpuSep).append("\n {\"gpu\": ").append(quote(g.gpuId()))
                    .append(", \"compute_mode\": ").append(quote(g.computeMode()))
                    .append(", \"memory_mode\": ").append(quote(g.memoryMode()))
                    .append(", \"partitions\": [");
            String partSep = "";
            for (PartitionSlot p : g.partitions()) {
                out.append(partSep).append("\n  {\"id\": ").append(quote(p.partitionId()))
                        .append(", \"memory\": ").append(p.memoryBytes())
                        .append(", \"compute_share\": ").append(Double.toString(p.computeShare()))
                        .append(", \"models\": [");
                String modelSep = "";
                for (ModelSlot m : p.models()) {
                    out.append(modelSep).append("\n   {\"model\": ").append(quote(m.model()))
                            .append(", \"priority\": ").append(quote(m.priority().name().toLowerCase(Locale.ROOT)))
                            .append(", \"weights\": ").append(m.weightBytes())
                            .append(", \"kv_budget\": ").append(m.kvBudgetBytes())
                            .append(", \"kv_floor\": ").append(m.kvFloorBytes()).append('}');
                    modelSep = ",";
                }
                out.append("]}");
                partSep = ",";
            }
            out.append("]}");
            gpuSep = ",";
        }
        return out.append("\n]}\n").toString();
    }

    private static String quote(String s) {
        StringBuilder q = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                q.append('\\').append(c);
            } else if (c < 0x20) {
                q.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                q.append(c);
            }
        }
        return q.append('"').toString();
    }
}
