package dev.aimnext.rocm;

import dev.aimnext.rocm.internal.JniLibraryLoader;

import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The built jar carries the JNI library for linux-x86_64, and the binding loads it from there. Runs
 * after {@code package}, against the jar itself (failsafe puts the jar, not target/classes, on the
 * classpath).
 */
class PackagedLibraryITCase {

    private static final int EM_X86_64 = 62;

    @Test
    void theJarContainsTheHostOnlyJniLibraryForLinuxX8664() throws Exception {
        Path jar = Path.of(System.getProperty("aim.rocm.jar"));
        try (JarFile file = new JarFile(jar.toFile())) {
            JarEntry entry = file.getJarEntry(JniLibraryLoader.RESOURCE_DIR + JniLibraryLoader.HOST_LIBRARY);
            assertThat(entry).as("native/linux-x86_64/libaimgpu_jni.so in %s", jar).isNotNull();
            byte[] header;
            try (InputStream in = file.getInputStream(entry)) {
                header = in.readNBytes(64);
            }
            ByteBuffer elf = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
            assertThat(new String(header, 1, 3, StandardCharsets.US_ASCII)).isEqualTo("ELF");
            assertThat(header[4]).as("ELFCLASS64").isEqualTo((byte) 2);
            assertThat(elf.getShort(16)).as("ET_DYN: a shared object").isEqualTo((short) 3);
            assertThat(elf.getShort(18)).as("e_machine").isEqualTo((short) EM_X86_64);
        }
    }

    @Test
    void theRuntimeLoadsTheLibraryOutOfTheJar() {
        GpuRuntime runtime = GpuRuntime.open();

        assertThat(runtime.isNative()).isTrue();
        assertThat(runtime.libraryOrigin()).hasValueSatisfying(origin -> assertThat(origin)
                .startsWith("jar:file:")
                .contains("aim-rocm-native-")
                .contains("!/native/linux-x86_64/libaimgpu_jni"));
        try (MemoryPool pool = runtime.openPool(4096)) {
            try (Allocation a = pool.allocate(4096)) {
                assertThat(pool.stats().usedBytes()).isEqualTo(4096);
                assertThat(a.address()).isNotZero();
            }
            assertThat(pool.stats().usedBytes()).isZero();
        }
    }
}
