package dev.aimnext.rocm;

import dev.aimnext.rocm.internal.GpuBinding;
import dev.aimnext.rocm.internal.JavaHostBinding;
import dev.aimnext.rocm.internal.JniGpuBinding;
import dev.aimnext.rocm.internal.JniLibraryLoader;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Entry point of the binding: loads {@code libaimgpu} and picks the backend that pools use.
 *
 * <p><b>Fallback.</b> The runtime always opens; what it falls back to depends on what is missing.
 * <ul>
 *   <li>No usable GPU (no device, no driver, or the library was built without CUDA/HIP): the
 *       native host backend, with real memory and the library's quota pools.
 *   <li>No loadable native library (another OS or architecture, a missing file): a host backend in
 *       Java that keeps the quota accounting but allocates nothing, finds no devices and reports
 *       per-process VRAM as unavailable.
 * </ul>
 * Either way it logs one line that says which backend is active and why, and {@link
 * #fallbackReason()} gives the same reason to callers.
 *
 * <p>Instances are immutable and thread-safe. The native library stays loaded for the life of the
 * JVM, so there is nothing to close here; pools are closed one by one.
 */
public final class GpuRuntime {

    private static final Logger LOG = LoggerFactory.getLogger(GpuRuntime.class);

    /** Tried in this order when no backend is requested: this project targets AMD first. */
    private static final List<GpuBackend> GPU_PREFERENCE = List.of(GpuBackend.HIP, GpuBackend.CUDA);

    private final GpuBinding binding;
    private final GpuBackend backend;
    private final String fallbackReason;
    private final String libraryOrigin;
    private final Path sysfsRoot;
    private final String summary;

    private GpuRuntime(GpuBinding binding, GpuBackend backend, String fallbackReason, String libraryOrigin,
            Path sysfsRoot) {
        this.binding = binding;
        this.backend = backend;
        this.fallbackReason = fallbackReason;
        this.libraryOrigin = libraryOrigin;
        this.sysfsRoot = sysfsRoot;
        this.summary = describe();
    }

    /** The packaged library, the best backend, the default sysfs root. */
    public static GpuRuntime open() {
        return builder().open();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The backend new pools use. */
    public GpuBackend backend() {
        return backend;
    }

    /** True when calls go to libaimgpu; false in the Java fallback. */
    public boolean isNative() {
        return binding.isNative();
    }

    /** Why the runtime is not on a GPU backend; empty when it is. */
    public Optional<String> fallbackReason() {
        return Optional.ofNullable(fallbackReason);
    }

    /** The line logged when the runtime opened: active backend, and why. */
    public String summary() {
        return summary;
    }

    /** {@code aim_gpu_version()}: version and compiled-in backends; or a description of the fallback. */
    public String libraryVersion() {
        return binding.version();
    }

    /** Where the native library was loaded from (a jar URL or a file); empty in the Java fallback. */
    public Optional<String> libraryOrigin() {
        return libraryOrigin.isEmpty() ? Optional.empty() : Optional.of(libraryOrigin);
    }

    /**
     * The sysfs root of partition discovery: the one configured, else {@code $AIM_GPU_SYSFS_ROOT},
     * else {@code /sys}, the same order the library uses.
     */
    public Path sysfsRoot() {
        return sysfsRoot;
    }

    /** What the library says about a backend: compiled in, usable, versions. */
    public BackendInfo backendInfo(GpuBackend which) {
        return binding.queryBackend(which);
    }

    /**
     * AMD GPUs and their partition nodes, with compute and memory partition modes, from sysfs. Needs
     * no GPU runtime. Empty on machines without AMD GPUs, and in the Java fallback.
     *
     * @throws GpuException with {@link GpuStatus#IO} if the sysfs root cannot be read
     */
    public List<GpuDevice> sysfsDevices() {
        return binding.sysfsScan(sysfsRoot);
    }

    /** The devices the active backend's runtime sees (for the host backend: one pseudo-device). */
    public List<GpuDevice> runtimeDevices() {
        return binding.deviceScan(backend);
    }

    /** A pool on device 0 of the active backend that returns freed memory at once. */
    public MemoryPool openPool(long quotaBytes) {
        return openPool(0, quotaBytes, 0);
    }

    /**
     * A pool on a device of the active backend.
     *
     * @param releaseThresholdBytes bytes a CUDA/HIP pool keeps cached after frees; ignored on the host
     * @throws IllegalArgumentException if the quota is not positive or the threshold negative
     */
    public MemoryPool openPool(int device, long quotaBytes, long releaseThresholdBytes) {
        if (quotaBytes <= 0) {
            throw new IllegalArgumentException("pool quota must be positive, got " + quotaBytes);
        }
        if (releaseThresholdBytes < 0) {
            throw new IllegalArgumentException("release threshold must not be negative, got " + releaseThresholdBytes);
        }
        if (device < 0) {
            throw new IllegalArgumentException("device index must not be negative, got " + device);
        }
        return new MemoryPool(binding, backend, device, quotaBytes, releaseThresholdBytes);
    }

    /**
     * Processes holding memory on a device, by the vendor library's own device index. "Unavailable"
     * when no vendor library can be loaded; that is an answer, not an error.
     */
    public ProcessVram processVram(VramSource source, int device) {
        if (device < 0) {
            throw new IllegalArgumentException("device index must not be negative, got " + device);
        }
        return binding.processVram(Objects.requireNonNull(source), device);
    }

    private String describe() {
        if (!binding.isNative()) {
            return "rocm-native: host backend in Java, without the native library (" + fallbackReason
                    + "); pools account the quota but allocate nothing, and there is no device discovery"
                    + " or per-process VRAM";
        }
        String where = "libaimgpu " + binding.version() + " from " + libraryOrigin;
        if (fallbackReason == null) {
            return "rocm-native: " + backend.label() + " backend (" + where + ")";
        }
        return "rocm-native: host backend, " + fallbackReason + " (" + where + ")";
    }

    /** Options for {@link GpuRuntime}; every one has a default. */
    public static final class Builder {
        private Path nativeLibrary;
        private Path sysfsRoot;
        private GpuBackend backend;

        private Builder() {}

        /** Load this file instead of the library packaged in the jar. */
        public Builder nativeLibrary(Path file) {
            this.nativeLibrary = Objects.requireNonNull(file);
            return this;
        }

        /** Read partitions under this root instead of {@code $AIM_GPU_SYSFS_ROOT} or /sys (tests use fake trees). */
        public Builder sysfsRoot(Path root) {
            this.sysfsRoot = Objects.requireNonNull(root);
            return this;
        }

        /**
         * Use this backend if it is usable, else fall back to the host. Without it the runtime takes
         * HIP, then CUDA, then the host. {@link GpuBackend#HOST} keeps pools off the GPU on purpose.
         */
        public Builder backend(GpuBackend preferred) {
            this.backend = Objects.requireNonNull(preferred);
            return this;
        }

        /** Loads the library if needed, picks the backend and logs the one summary line. */
        public GpuRuntime open() {
            String fromEnvironment = System.getenv("AIM_GPU_SYSFS_ROOT");
            Path sysfsRoot = this.sysfsRoot != null ? this.sysfsRoot
                    : Path.of(fromEnvironment == null || fromEnvironment.isEmpty() ? "/sys" : fromEnvironment);
            JniLibraryLoader.Outcome outcome = nativeLibrary == null
                    ? JniLibraryLoader.loadPackaged()
                    : JniLibraryLoader.loadFile(nativeLibrary);
            GpuRuntime runtime;
            if (!outcome.loaded()) {
                runtime = new GpuRuntime(new JavaHostBinding(outcome.notes()), GpuBackend.HOST, outcome.notes(), "",
                        sysfsRoot);
                LOG.warn(runtime.summary());
                return runtime;
            }
            GpuBinding binding = new JniGpuBinding();
            List<String> unusable = new ArrayList<>();
            if (backend != GpuBackend.HOST) {
                for (GpuBackend candidate : backend == null ? GPU_PREFERENCE : List.of(backend)) {
                    BackendInfo info = binding.queryBackend(candidate);
                    if (info.usable()) {
                        runtime = new GpuRuntime(binding, candidate, null, outcome.origin(), sysfsRoot);
                        LOG.info(runtime.summary());
                        return runtime;
                    }
                    unusable.add(candidate.label() + ": " + info.detail());
                }
            }
            String reason = backend == GpuBackend.HOST
                    ? "as requested"
                    : "no usable GPU (" + String.join("; ", unusable) + ")";
            if (!outcome.notes().isEmpty()) {
                reason += "; " + outcome.notes();
            }
            runtime = new GpuRuntime(binding, GpuBackend.HOST, reason, outcome.origin(), sysfsRoot);
            if (backend == GpuBackend.HOST) {
                LOG.info(runtime.summary());
            } else {
                LOG.warn(runtime.summary());
            }
            return runtime;
        }
    }
}
