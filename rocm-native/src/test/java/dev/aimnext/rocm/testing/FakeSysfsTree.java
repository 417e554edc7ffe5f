package dev.aimnext.rocm.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A fake {@code /sys} that mirrors the real amdgpu layout, as {@code tests/test_sysfs.c} builds it:
 * {@code class/drm/cardN} is a link into {@code devices/.../drm/cardN}, and its {@code device} link
 * points to the PCI function that carries the partition files, or, for amdgpu's extra partition
 * nodes, to a platform device {@code amdgpu_xcp_N} without them. Connector and render entries sit
 * beside the cards, as on a real server, so the scan has something to skip.
 */
public final class FakeSysfsTree {

    /**
     * The files of one PCI GPU; a null field is not written.
     *
     * @param vramUsed {@code mem_info_vram_used}, which the library ignores and the GPU collector reads
     */
    public record GpuFiles(
            String vendor,
            String device,
            String productName,
            String vramTotal,
            String vramUsed,
            String computeCurrent,
            String computeAvailable,
            String memoryCurrent,
            String memoryAvailable) {

        public GpuFiles withVramUsed(long bytes) {
            return new GpuFiles(vendor, device, productName, vramTotal, bytes + "\n", computeCurrent,
                    computeAvailable, memoryCurrent, memoryAvailable);
        }
    }

    /** MI300X memory as amdgpu reports it: 192 GiB minus the driver's reservation. */
    public static final long MI300X_VRAM_BYTES = 206_141_652_992L;

    public static final GpuFiles MI300X_SPX_NPS1 = new GpuFiles("0x1002\n", "0x74a1\n", null,
            MI300X_VRAM_BYTES + "\n", null, "SPX\n", "SPX, DPX, QPX, CPX\n", "NPS1\n", "NPS1, NPS4\n");

    public static final GpuFiles MI300X_CPX_NPS4 = new GpuFiles("0x1002\n", "0x74a1\n", null,
            MI300X_VRAM_BYTES + "\n", null, "CPX\n", "SPX, DPX, QPX, CPX\n", "NPS4\n", "NPS1, NPS4\n");

    /** A BMC's VGA controller: not AMD, so the scan skips it. */
    public static final GpuFiles ASPEED_BMC = new GpuFiles("0x1a03\n", "0x2000\n", null, null, null, null, null,
            null, null);

    private final Path root;

    private FakeSysfsTree(Path root) {
        this.root = root;
    }

    /** An empty tree (a machine without GPUs): {@code class/drm} with only its version file. */
    public static FakeSysfsTree create(Path root) {
        FakeSysfsTree tree = new FakeSysfsTree(root);
        tree.mkdirs(root.resolve("class/drm"));
        tree.mkdirs(root.resolve("devices/platform"));
        tree.write(root.resolve("class/drm/version"), "drm 1.1.0 20060810\n");
        return tree;
    }

    /** One MI300X in SPX/NPS1 at 0000:0c:00.0 (card1), behind a BMC VGA on card0. */
    public static FakeSysfsTree mi300xSpxNps1(Path root) {
        return create(root)
                .addGpu(0, "0000:02:00.0", ASPEED_BMC)
                .addGpu(1, "0000:0c:00.0", MI300X_SPX_NPS1);
    }

    /** One MI300X in CPX/NPS4 at 0000:0c:00.0 (card0) with its 7 partition nodes (card1..card7). */
    public static FakeSysfsTree mi300xCpxNps4(Path root) {
        FakeSysfsTree tree = create(root).addGpu(0, "0000:0c:00.0", MI300X_CPX_NPS4);
        for (int i = 1; i < 8; i++) {
            tree.addPartitionNode(i, "amdgpu_xcp_" + (i - 1));
        }
        return tree;
    }

    public Path root() {
        return root;
    }

    /** A PCI GPU at {@code busId} with DRM node {@code cardN}, writing only the files given. */
    public FakeSysfsTree addGpu(int card, String busId, GpuFiles files) {
        Path pci = root.resolve("devices/pci0000:00/0000:00:01.0").resolve(busId);
        Path drmDir = pci.resolve("drm/card" + card);
        mkdirs(drmDir);
        link(drmDir.resolve("device"), "../../../" + busId);
        link(root.resolve("class/drm/card" + card),
                "../../devices/pci0000:00/0000:00:01.0/" + busId + "/drm/card" + card);
        mkdirs(root.resolve("class/drm/card" + card + "-DP-1"));
        mkdirs(root.resolve("class/drm/renderD" + (128 + card)));
        writeIfSet(pci, "vendor", files.vendor());
        writeIfSet(pci, "device", files.device());
        writeIfSet(pci, "product_name", files.productName());
        writeIfSet(pci, "mem_info_vram_total", files.vramTotal());
        writeIfSet(pci, "mem_info_vram_used", files.vramUsed());
        writeIfSet(pci, "current_compute_partition", files.computeCurrent());
        writeIfSet(pci, "available_compute_partition", files.computeAvailable());
        writeIfSet(pci, "current_memory_partition", files.memoryCurrent());
        writeIfSet(pci, "available_memory_partition", files.memoryAvailable());
        return this;
    }

    /** An amdgpu partition node: {@code cardN} links to platform device {@code xcpName}, no partition files. */
    public FakeSysfsTree addPartitionNode(int card, String xcpName) {
        Path dev = root.resolve("devices/platform").resolve(xcpName);
        Path drmDir = dev.resolve("drm/card" + card);
        mkdirs(drmDir);
        write(dev.resolve("uevent"), "DRIVER=amdgpu_xcp_drv\n");
        link(drmDir.resolve("device"), "../../../" + xcpName);
        link(root.resolve("class/drm/card" + card), "../../devices/platform/" + xcpName + "/drm/card" + card);
        mkdirs(root.resolve("class/drm/renderD" + (128 + card)));
        return this;
    }

    /** Writes (or overwrites) a file in the device folder of {@code cardN}, e.g. a malformed mode. */
    public FakeSysfsTree writeDeviceFile(int card, String name, String content) {
        write(root.resolve("class/drm/card" + card + "/device/" + name), content);
        return this;
    }

    private void writeIfSet(Path dir, String name, String content) {
        if (content != null) {
            write(dir.resolve(name), content);
        }
    }

    private void write(Path file, String content) {
        try {
            Files.writeString(file, content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void mkdirs(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void link(Path link, String target) {
        try {
            Files.createSymbolicLink(link, Path.of(target));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
