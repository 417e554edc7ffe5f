package dev.aimnext.operators.qos.plan;

import dev.aimnext.operators.qos.plan.hardware.ComputeMode;
import dev.aimnext.operators.qos.plan.hardware.GpuModel;
import dev.aimnext.operators.qos.plan.hardware.MemoryMode;
import dev.aimnext.operators.qos.plan.hardware.ModeSupport;
import dev.aimnext.operators.qos.plan.hardware.PartitionMode;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The GPUs of one node: one GPU model, how many, and optionally a mode they are pinned to. One node
 * gets one DCM profile, and the Device Config Manager takes one memory mode per profile, so the
 * planner gives all of a node's GPUs the same NPS mode.
 *
 * @param name the node's name in GPU ids ({@code node1/gpu0}); empty for a single node ({@code gpu0})
 * @param gpu the GPU model
 * @param count GPUs on the node; a DCM profile must account for all of them
 * @param pinned the mode every GPU must keep, when the planner may not choose
 */
public record GpuNode(String name, GpuModel gpu, int count, Optional<PartitionMode> pinned) {

    /** GPUs per node; platforms carry 8, and the planner tries every mode multiset of a node's GPUs. */
    public static final int MAX_GPUS = 16;

    public GpuNode {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(gpu, "gpu");
        Objects.requireNonNull(pinned, "pinned");
        if (count < 1 || count > MAX_GPUS) {
            throw new IllegalArgumentException("a node has 1 to " + MAX_GPUS + " GPUs, got " + count);
        }
        pinned.ifPresent(m -> {
            if (m.gpu() != gpu) {
                throw new IllegalArgumentException("mode " + m + " is not a mode of " + gpu.displayName());
            }
        });
    }

    public static GpuNode of(GpuModel gpu, int count) {
        return new GpuNode("", gpu, count, Optional.empty());
    }

    /**
     * Parses {@code mi300x:8}, {@code mi300x:8:qpx} or {@code mi300x:8:cpx+nps4}; a pinned mode is
     * checked against the hardware table and {@code allowed}.
     */
    public static GpuNode parse(String name, String text, ModeSupport allowed) {
        String[] parts = text.trim().split(":", -1);
        if (parts.length < 2 || parts.length > 3) {
            throw new IllegalArgumentException("GPUs '" + text + "' are not GPU:COUNT[:MODE], e.g. mi300x:8 or mi300x:8:qpx");
        }
        GpuModel gpu = GpuModel.parse(parts[0]);
        int count;
        try {
            count = Integer.parseInt(parts[1].trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("GPUs '" + text + "': count '" + parts[1] + "' is not a whole number");
        }
        Optional<PartitionMode> pinned = Optional.empty();
        if (parts.length == 3) {
            String mode = parts[2].trim();
            int plus = mode.indexOf('+');
            pinned = Optional.of(plus < 0 ? gpu.mode(ComputeMode.parse(mode), allowed)
                    : gpu.mode(ComputeMode.parse(mode.substring(0, plus)), MemoryMode.parse(mode.substring(plus + 1)),
                            allowed));
        }
        return new GpuNode(name, gpu, count, pinned);
    }

    /** The modes the planner may choose from here. */
    public List<PartitionMode> modes(ModeSupport allowed) {
        return pinned.map(List::of).orElseGet(() -> gpu.modes(allowed));
    }

    /** {@code gpu3}, or {@code node1/gpu3} on a named node. */
    public String gpuId(int index) {
        return name.isEmpty() ? "gpu" + index : name + "/gpu" + index;
    }
}
