package dev.aimnext.jobs.collector;

import dev.aimnext.schemas.event.GpuProcess;
import dev.aimnext.schemas.event.GpuSample;

import java.util.List;
import java.util.Locale;

/**
 * Renders GPU samples as Prometheus text exposition (format 0.0.4): the same data the collector
 * publishes to Kafka, as gauges.
 *
 * <p>Labels stay bounded: node, GPU (PCI address), partition index, and modes and backend from
 * small fixed sets. Only the per-process gauge carries a PID, and it is capped at {@link
 * #MAX_PROCESSES_PER_PARTITION} processes per partition, largest first, so a host that churns
 * through short-lived processes cannot grow the series count without bound. Amounts that are not
 * known (-1 in the events) are left out rather than exported as a number.
 */
public final class GpuMetricsExposition {

    /** Content type of the 0.0.4 text format. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    public static final int MAX_PROCESSES_PER_PARTITION = 32;

    private GpuMetricsExposition() {}

    /**
     * The exposition for one sampling round. Every metric family is always present with its HELP
     * and TYPE lines, so an empty round (no GPU) is still a valid, self-describing document.
     */
    public static String render(String node, List<GpuSample> samples, long sampledAtMs) {
        StringBuilder out = new StringBuilder(1024);
        family(out, "aim_gpu_partitions", "GPU partitions the collector sampled on this node; 0 when it found no GPU.");
        line(out, "aim_gpu_partitions", labels("node", node), samples.size());

        family(out, "aim_gpu_partition_info",
                "Always 1; the labels give the partition's compute and memory mode and the rocm-native backend.");
        for (GpuSample s : samples) {
            line(out, "aim_gpu_partition_info", partition(s) + ",compute=\"" + escape(s.getComputePartitionMode())
                    + "\",memory=\"" + escape(s.getMemoryPartitionMode()) + "\",backend=\"" + escape(s.getBackend())
                    + "\"", 1);
        }

        family(out, "aim_gpu_vram_used_bytes",
                "VRAM in use on the partition: the sum over processes, or the driver's figure; absent when unknown.");
        for (GpuSample s : samples) {
            if (s.getVramUsedBytes() >= 0) {
                line(out, "aim_gpu_vram_used_bytes", partition(s), s.getVramUsedBytes());
            }
        }

        family(out, "aim_gpu_vram_limit_bytes", "VRAM of the partition: device memory divided by the partition count.");
        for (GpuSample s : samples) {
            line(out, "aim_gpu_vram_limit_bytes", partition(s), s.getVramLimitBytes());
        }

        family(out, "aim_gpu_process_vram_bytes",
                "VRAM held by one process on the partition (at most " + MAX_PROCESSES_PER_PARTITION
                        + " processes per partition, largest first).");
        for (GpuSample s : samples) {
            s.getProcesses().stream()
                    .filter(p -> p.getVramBytes() >= 0)
                    .sorted((a, b) -> Long.compare(b.getVramBytes(), a.getVramBytes()))
                    .limit(MAX_PROCESSES_PER_PARTITION)
                    .forEach(p -> line(out, "aim_gpu_process_vram_bytes", process(s, p), p.getVramBytes()));
        }

        family(out, "aim_gpu_collector_last_sample_timestamp_seconds", "When the collector last sampled, Unix time.");
        out.append("aim_gpu_collector_last_sample_timestamp_seconds").append('{').append(labels("node", node))
                .append("} ").append(String.format(Locale.ROOT, "%.3f", sampledAtMs / 1000.0)).append('\n');
        return out.toString();
    }

    private static void family(StringBuilder out, String name, String help) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(" gauge\n");
    }

    private static void line(StringBuilder out, String name, String labels, long value) {
        out.append(name).append('{').append(labels).append("} ").append(value).append('\n');
    }

    private static String partition(GpuSample s) {
        return labels("node", s.getNode()) + ",gpu=\"" + escape(s.getGpuId()) + "\",partition=\""
                + escape(s.getPartitionId()) + "\"";
    }

    private static String process(GpuSample s, GpuProcess p) {
        return partition(s) + ",pid=\"" + p.getPid() + "\"";
    }

    private static String labels(String name, String value) {
        return name + "=\"" + escape(value) + "\"";
    }

    /** Label values escape backslash, double quote and line feed, as the format requires. */
    static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
