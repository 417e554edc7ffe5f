package dev.aimnext.jobs.local;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PortCheckTest {

    @Test
    void aListeningPortIsReportedWithItsRoleAndFlag() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("0.0.0.0"))) {
            int port = taken.getLocalPort();

            assertThatThrownBy(() -> PortCheck.requireFree(port, "Flink web UI", "--web-port"))
                    .isInstanceOf(LocalStackException.class)
                    .hasMessage("port " + port + " (Flink web UI) is already in use; stop what holds it or pass --web-port <port>");
        }
    }

    @Test
    void aFreePortPasses() {
        int port = PortCheck.freePort();

        assertThatCode(() -> PortCheck.requireFree(port, "Kafka broker", "--kafka-port")).doesNotThrowAnyException();
    }
}
