package dev.aimnext.jobs.local;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Checks ports before anything starts, so a clash is one clear line instead of a stack trace. */
public final class PortCheck {

    private PortCheck() {}

    /** @throws LocalStackException naming the port, its role and the flag that moves it */
    public static void requireFree(int port, String role, String flag) {
        try (ServerSocket socket = new ServerSocket()) {
            // Like the broker and Flink themselves: connections of a previous run lingering in
            // TIME_WAIT must not count as "in use", only a live listener.
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), port));
        } catch (IOException e) {
            throw new LocalStackException(
                    "port " + port + " (" + role + ") is already in use; stop what holds it or pass "
                            + flag + " <port>");
        }
    }

    /** A port that was free a moment ago, for tests. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new LocalStackException("no free local port: " + e.getMessage());
        }
    }
}
