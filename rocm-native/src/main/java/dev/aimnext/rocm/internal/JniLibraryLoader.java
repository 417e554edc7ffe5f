package dev.aimnext.rocm.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Loads the JNI library once per JVM, from the jar or from a given file, and says why when it
 * cannot.
 *
 * <p>The jar carries up to two variants under {@value #RESOURCE_DIR}: {@value #GPU_LIBRARY}, linked
 * to the CUDA and/or HIP runtimes the build machine had, and {@value #HOST_LIBRARY}, which needs only
 * libc. A library linked to {@code libcudart} or {@code libamdhip64} fails {@code System.load} on a
 * machine without them, so the GPU variant is tried first and the host one second.
 *
 * <p>A JNI library can be loaded only once per class loader, and its native methods bind to the
 * first library that defines them, so the first successful load is final for the JVM: later
 * requests for the packaged library reuse it, and a request for a different file is refused with
 * a reason instead of silently using the wrong one.
 */
public final class JniLibraryLoader {

    public static final String RESOURCE_DIR = "native/linux-x86_64/";
    public static final String HOST_LIBRARY = "libaimgpu_jni.so";
    public static final String GPU_LIBRARY = "libaimgpu_jni_gpu.so";

    /**
     * What a load attempt gave.
     *
     * @param loaded the native methods are usable
     * @param origin where the library came from (a jar URL or a file); empty when not loaded
     * @param notes why variants were skipped, or why nothing could be loaded; empty when the first
     *     choice loaded
     */
    public record Outcome(boolean loaded, String origin, String notes) {}

    private static String loadedOrigin; // guarded by the class lock
    private static Path loadedFile;
    private static String loadNotes = "";

    private JniLibraryLoader() {}

    /** Loads the library packaged in this jar, or reuses the one already loaded. */
    public static synchronized Outcome loadPackaged() {
        if (loadedOrigin != null) {
            return new Outcome(true, loadedOrigin, loadNotes);
        }
        String os = System.getProperty("os.name", "?");
        String arch = System.getProperty("os.arch", "?");
        if (!os.toLowerCase(Locale.ROOT).startsWith("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
            return new Outcome(false, "", "the jar carries the native library for linux-x86_64 only, this JVM runs on "
                    + os + "/" + arch);
        }
        List<String> notes = new ArrayList<>();
        for (String name : List.of(GPU_LIBRARY, HOST_LIBRARY)) {
            URL resource = JniLibraryLoader.class.getClassLoader().getResource(RESOURCE_DIR + name);
            if (resource == null) {
                if (name.equals(HOST_LIBRARY)) {
                    notes.add(RESOURCE_DIR + name + " is not on the classpath");
                }
                continue; // no GPU variant: the build machine had neither CUDA nor HIP
            }
            try {
                loadExtracted(resource, name);
                loadedOrigin = resource.toString();
                loadNotes = String.join("; ", notes);
                return new Outcome(true, loadedOrigin, loadNotes);
            } catch (IOException | UnsatisfiedLinkError e) {
                notes.add(name + " did not load: " + e.getMessage());
            }
        }
        return new Outcome(false, "", String.join("; ", notes));
    }

    /** Loads a library file, for deployments that ship it outside the jar, and for tests. */
    public static synchronized Outcome loadFile(Path library) {
        Path file = library.toAbsolutePath().normalize();
        if (!Files.isRegularFile(file)) {
            return new Outcome(false, "", "native library " + file + " does not exist");
        }
        if (loadedOrigin != null) {
            if (file.equals(loadedFile)) {
                return new Outcome(true, loadedOrigin, loadNotes);
            }
            return new Outcome(false, "", "cannot load " + file + ": " + loadedOrigin
                    + " is already loaded in this JVM, and a JNI library loads only once");
        }
        try {
            System.load(file.toString());
            verify();
        } catch (UnsatisfiedLinkError e) {
            return new Outcome(false, "", file + " did not load: " + e.getMessage());
        }
        loadedOrigin = file.toString();
        loadedFile = file;
        loadNotes = "";
        return new Outcome(true, loadedOrigin, "");
    }

    /**
     * System.load needs a file: copy the resource to a private temporary folder, load it, and
     * delete it at once (on Linux the mapping outlives the file, and nothing is left behind).
     */
    private static void loadExtracted(URL resource, String name) throws IOException {
        Path dir = Files.createTempDirectory("aim-gpu-jni-");
        Path file = dir.resolve(name);
        try (InputStream in = resource.openStream()) {
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            System.load(file.toString());
            verify();
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(dir);
        }
    }

    /** A file that loads but is not our library would fail at the first call; fail here instead. */
    private static void verify() {
        String version = AimGpuJni.version();
        if (version == null || version.isEmpty()) {
            throw new UnsatisfiedLinkError("the library answered no version");
        }
    }
}
