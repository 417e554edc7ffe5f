package dev.aimnext.jobs.collector;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Serves the latest exposition at {@code /metrics} with the JDK's own HTTP server: one small
 * collector needs no web framework, and a scrape only ever reads the text the sampling loop last
 * rendered, so scrapes never wait for the GPU.
 */
public final class MetricsEndpoint implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor;
    private volatile byte[] body;

    private MetricsEndpoint(HttpServer server, ExecutorService executor, String initial) {
        this.server = server;
        this.executor = executor;
        this.body = initial.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Binds all interfaces on {@code port}, as Prometheus exporters do.
     *
     * @throws IOException if the port cannot be bound
     */
    public static MetricsEndpoint start(int port, String initial) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "aim-gpu-metrics");
            t.setDaemon(true);
            return t;
        });
        MetricsEndpoint endpoint = new MetricsEndpoint(server, executor, initial);
        server.createContext("/metrics", endpoint::serve);
        server.setExecutor(executor);
        server.start();
        return endpoint;
    }

    /** The port actually bound. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** Replaces what scrapes get from now on. */
    public void update(String exposition) {
        body = exposition.getBytes(StandardCharsets.UTF_8);
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!exchange.getRequestMethod().equals("GET") && !exchange.getRequestMethod().equals("HEAD")) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            byte[] current = body;
            exchange.getResponseHeaders().set("Content-Type", GpuMetricsExposition.CONTENT_TYPE);
            if (exchange.getRequestMethod().equals("HEAD")) {
                exchange.sendResponseHeaders(200, -1);
                return;
            }
            exchange.sendResponseHeaders(200, current.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(current);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
