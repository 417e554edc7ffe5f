import dev.aimnext.rocm.*;
import java.util.*;
import java.util.concurrent.*;
import java.util.concurrent.atomic.*;

/** One-off check of the JNI binding on a CUDA machine: prints PASS/FAIL per step. */
public class GpuJniCheck {
    static int failures;
    static void check(String what, boolean ok, Object detail) {
        System.out.println((ok ? "PASS " : "FAIL ") + what + (detail == null ? "" : " :: " + detail));
        if (!ok) failures++;
    }
    public static void main(String[] args) throws Exception {
        GpuRuntime rt = GpuRuntime.open();
        System.out.println("summary: " + rt.summary());
        check("active backend is cuda", rt.backend() == GpuBackend.CUDA, rt.backend());
        System.out.println("cuda info: " + rt.backendInfo(GpuBackend.CUDA));
        for (GpuDevice d : rt.runtimeDevices()) System.out.println("device: " + d);
        System.out.println("sysfs devices: " + rt.sysfsDevices().size());
        long mib = 1L << 20;
        try (MemoryPool pool = rt.openPool(64 * mib)) {
            List<Allocation> held = new ArrayList<>();
            for (int i = 0; i < 4; i++) held.add(pool.allocate(16 * mib));
            PoolStats s = pool.stats();
            check("4 x 16 MiB used = 64 MiB", s.usedBytes() == 64 * mib, s);
            try { pool.allocate(1); check("5th allocation refused", false, null); }
            catch (QuotaExceededException e) { check("5th allocation refused with QuotaExceededException", true, e.getMessage()); }
            for (Allocation a : held) a.close();
            try { held.get(0).close(); check("double free refused", false, null); }
            catch (IllegalStateException e) { check("double free refused", true, e.getMessage()); }
            s = pool.stats();
            check("used back to 0", s.usedBytes() == 0 && s.liveAllocations() == 0 && s.quotaRejections() == 1, s);
            try { pool.allocate(-1); check("negative size refused", false, null); }
            catch (IllegalArgumentException e) { check("negative size refused", true, e.getMessage()); }
        }
        long quota = 64 * mib;
        AtomicLong worst = new AtomicLong(), refused = new AtomicLong();
        ExecutorService ex = Executors.newFixedThreadPool(8);
        long t0 = System.nanoTime();
        try (MemoryPool pool = rt.openPool(0, quota, 32 * mib)) {
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                long seed = t + 1;
                fs.add(ex.submit(() -> {
                    SplittableRandom r = new SplittableRandom(seed);
                    Deque<Allocation> held = new ArrayDeque<>();
                    for (int i = 0; i < 1500; i++) {
                        if (!held.isEmpty() && r.nextInt(100) < 45) { held.poll().close(); continue; }
                        try { held.add(pool.allocate(1 + r.nextInt(4 * (int) mib))); worst.accumulateAndGet(pool.stats().usedBytes(), Math::max); }
                        catch (QuotaExceededException e) { refused.incrementAndGet(); }
                    }
                    held.forEach(Allocation::close);
                    return null;
                }));
            }
            for (Future<?> f : fs) f.get(3, TimeUnit.MINUTES);
            PoolStats s = pool.stats();
            check("concurrent: worst used <= quota", worst.get() <= quota, worst.get() + " <= " + quota);
            check("concurrent: used back to 0, allocs == frees", s.usedBytes() == 0 && s.allocations() == s.frees(), s);
            check("concurrent: refusals counted", s.quotaRejections() == refused.get(), refused.get());
            System.out.printf("concurrent: %d allocs in %.2f s, reserved now %d, high water %d%n", s.allocations(), (System.nanoTime() - t0) / 1e9, s.reservedBytes(), s.highWaterBytes());
        }
        ex.shutdownNow();
        ProcessVram v = rt.processVram(VramSource.NVML, 0);
        System.out.println("nvml vram: " + v);
        check("NVML answers", v.isAvailable(), v);
        try (MemoryPool pool = rt.openPool(256 * mib); Allocation a = pool.allocate(128 * mib)) {
            ProcessVram v2 = rt.processVram(VramSource.AUTO, 0);
            System.out.println("auto vram while holding 128 MiB (pid " + ProcessHandle.current().pid() + "): " + v2);
        }
        MemoryPool p = rt.openPool(mib); p.close();
        try { p.close(); check("closing twice refused", false, null); }
        catch (IllegalStateException e) { check("closing twice refused", true, e.getMessage()); }
        System.out.println(failures == 0 ? "GPU-JNI-CHECK PASSED" : "GPU-JNI-CHECK FAILED: " + failures);
        System.exit(failures == 0 ? 0 : 1);
    }
}
