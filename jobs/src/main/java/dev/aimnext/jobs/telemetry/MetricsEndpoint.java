package dev.aimnext.jobs.telemetry;

import dev.aimnext.operators.qos.telemetry.prometheus.Exposition;
import dev.aimnext.operators.qos.telemetry.prometheus.ExpositionFormatException;
import dev.aimnext.operators.qos.telemetry.prometheus.PrometheusTextParser;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

/**
 * Reads one Prometheus {@code /metrics} endpoint over HTTP and parses what it answers.
 *
 * <p>It asks for the text format 0.0.4 (what vLLM's prometheus_client writes by default) and
 * refuses a response that is plainly something else, HTML or JSON from a wrong path or port, with
 * a message that says so rather than a parse error deep in the body.
 */
public final class MetricsEndpoint {

    private static final String ACCEPT = "text/plain;version=0.0.4;q=1.0,*/*;q=0.1";

    private final URI uri;
    private final Duration timeout;
    private final HttpClient client;

    public MetricsEndpoint(URI uri, Duration timeout) {
        this.uri = uri;
        this.timeout = timeout;
        this.client = HttpClient.newBuilder()
                .connectTimeout(timeout)
                // vLLM releases before the mount workaround answered /metrics with a 307 to /metrics/.
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
    }

    /**
     * A URL as the user typed it: {@code http://host:8000} means its {@code /metrics}.
     *
     * @throws IllegalArgumentException if it is not an http(s) URL
     */
    public static URI metricsUri(String url) {
        URI uri;
        try {
            uri = URI.create(url.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--url '" + url + "' is not a URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if ((!scheme.equals("http") && !scheme.equals("https")) || uri.getHost() == null) {
            throw new IllegalArgumentException("--url must be an http:// or https:// URL such as"
                    + " http://localhost:8000/metrics, got '" + url + "'");
        }
        if (uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/")) {
            return uri.resolve("/metrics");
        }
        return uri;
    }

    public URI uri() {
        return uri;
    }

    /**
     * @throws MetricsEndpointException if the endpoint cannot be reached, answers an error status
     *     or a body that is not Prometheus text
     */
    public Exposition scrape() throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", ACCEPT).GET().build();
        HttpResponse<String> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpConnectTimeoutException e) {
            throw new MetricsEndpointException("cannot reach " + uri + ": no connection within "
                    + timeout.toSeconds() + " s");
        } catch (HttpTimeoutException e) {
            throw new MetricsEndpointException(uri + " did not answer within " + timeout.toSeconds() + " s");
        } catch (ConnectException e) {
            throw new MetricsEndpointException("cannot reach " + uri + ": connection refused; is the vLLM server"
                    + " running on that port?");
        } catch (IOException e) {
            throw new MetricsEndpointException("cannot reach " + uri + ": " + describe(e));
        }
        if (response.statusCode() != 200) {
            throw new MetricsEndpointException("GET " + uri + " answered HTTP " + response.statusCode()
                    + "; the vLLM metrics endpoint is /metrics on the API port");
        }
        String type = response.headers().firstValue("Content-Type").orElse("").toLowerCase(Locale.ROOT);
        if (type.startsWith("text/html") || type.startsWith("application/json")) {
            throw new MetricsEndpointException(uri + " answered " + type.split(";")[0]
                    + ", not Prometheus text; is this the /metrics endpoint?");
        }
        try {
            return PrometheusTextParser.parse(response.body());
        } catch (ExpositionFormatException e) {
            throw new MetricsEndpointException(uri + " did not answer Prometheus text exposition: " + e.getMessage());
        }
    }

    private static String describe(IOException e) {
        if (e instanceof UnknownHostException || e.getCause() instanceof UnknownHostException) {
            return "unknown host";
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
