package dev.aimnext.jobs.telemetry;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for a vLLM server's {@code /metrics}: answers each GET with the next of its canned
 * responses, repeating the last one, on a free loopback port.
 */
public final class FakeVllmServer implements AutoCloseable {

    /** One canned answer. */
    public record Response(int status, String contentType, String body) {

        /** What prometheus_client answers. */
        public static Response metrics(String body) {
            return new Response(200, "text/plain; version=0.0.4; charset=utf-8", body);
        }
    }

    private final HttpServer server;
    private final AtomicInteger served = new AtomicInteger();

    public FakeVllmServer(List<Response> responses) {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/metrics", exchange -> {
            int index = Math.min(served.getAndIncrement(), responses.size() - 1);
            Response response = responses.get(index);
            byte[] body = response.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", response.contentType());
            exchange.sendResponseHeaders(response.status(), body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    /** The text of a fixture under {@code /qos/vllm/} on the test classpath. */
    public static String fixture(String name) {
        try (InputStream in = FakeVllmServer.class.getResourceAsStream("/qos/vllm/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String metricsUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/metrics";
    }

    /** How many GETs were answered. */
    public int served() {
        return served.get();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
