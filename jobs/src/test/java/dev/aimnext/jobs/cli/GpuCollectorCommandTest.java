package dev.aimnext.jobs.cli;

import dev.aimnext.jobs.local.PortCheck;
import dev.aimnext.rocm.GpuBackend;
import dev.aimnext.rocm.GpuRuntime;
import dev.aimnext.rocm.testing.FakeSysfsTree;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/** What {@code aim gpu-collector} tells the user, without a broker. */
class GpuCollectorCommandTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return AimCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void aMetricsPortInUseIsOneLineAndExitTwo() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("0.0.0.0"))) {
            int port = taken.getLocalPort();

            int code = run("gpu-collector", "--metrics-port", Integer.toString(port), "--duration", "1");

            assertThat(code).isEqualTo(2);
            assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("aim: port " + port
                    + " (GPU collector metrics) is already in use; stop what holds it or pass --metrics-port <port>"
                    + System.lineSeparator());
            assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
        }
    }

    @Test
    void optionsAreChecked() {
        assertThat(run("gpu-collector", "--interval", "0")).isEqualTo(2);
        assertThat(run("gpu-collector", "--intervall", "5")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo(
                "aim: --interval must be at least 1 second, got 0" + System.lineSeparator()
                        + "aim: unknown option --intervall" + System.lineSeparator());
    }

    @Test
    void withoutGpuOrBrokerItSaysSoOnceAndServesMetricsOnly(@TempDir Path dir) {
        GpuRuntime probe = GpuRuntime.builder().backend(GpuBackend.HOST).open();
        assumeFalse(probe.backendInfo(GpuBackend.HIP).usable() || probe.backendInfo(GpuBackend.CUDA).usable(),
                "this machine has a usable GPU");
        Path sysfs = FakeSysfsTree.create(dir).root();

        int code = run("gpu-collector", "--sysfs-root", sysfs.toString(), "--node", "lab-1", "--interval", "1",
                "--duration", "2", "--metrics-port", Integer.toString(PortCheck.freePort()));

        assertThat(code).isZero();
        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(printed).contains("rocm-native: host backend, no usable GPU");
        assertThat(printed).contains("No --bootstrap-servers: serving metrics only, publishing nothing.");
        assertThat(printed.split("No GPU found on node lab-1", -1)).hasSize(2); // said exactly once
        assertThat(printed).containsPattern("Stopped after [1-9][0-9]* sampling rounds\\.");
        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
    }
}
