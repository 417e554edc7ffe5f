package dev.aimnext.jobs.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads the local stack's HTTP endpoints the way a user would, so the demo can say what the Flink
 * web UI and the Prometheus endpoint actually serve instead of assuming it.
 */
public final class DemoEndpoints {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final int webPort;
    private final int metricsPort;

    public DemoEndpoints(int webPort, int metricsPort) {
        this.webPort = webPort;
        this.metricsPort = metricsPort;
    }

    /** The jobs the Flink REST API lists ({@code /jobs/overview}), as "name STATE". */
    public List<String> jobs() throws IOException, InterruptedException {
        JsonNode overview = new ObjectMapper().readTree(get("http://localhost:" + webPort + "/jobs/overview"));
        List<String> jobs = new ArrayList<>();
        for (JsonNode job : overview.path("jobs")) {
            jobs.add(job.path("name").asText() + " " + job.path("state").asText());
        }
        jobs.sort(null);
        return jobs;
    }

    /**
     * How many series on the Prometheus endpoint have each of {@code markers} in their metric name
     * (a series counts for the first marker it has). Label values are not searched: Flink puts job
     * and operator names such as {@code aim_qos_metrics} into every series of a job.
     */
    public Map<String, Long> seriesCounts(List<String> markers) throws IOException, InterruptedException {
        Map<String, Long> counts = new TreeMap<>();
        markers.forEach(m -> counts.put(m, 0L));
        get("http://localhost:" + metricsPort + "/metrics").lines()
                .filter(line -> !line.startsWith("#") && !line.isBlank())
                .map(DemoEndpoints::metricName)
                .forEach(name -> markers.stream().filter(name::contains).findFirst()
                        .ifPresent(m -> counts.merge(m, 1L, Long::sum)));
        return counts;
    }

    /** The metric name of an exposition line: up to the labels or the value. */
    static String metricName(String line) {
        int end = line.length();
        int brace = line.indexOf('{');
        int space = line.indexOf(' ');
        if (brace >= 0) {
            end = brace;
        } else if (space >= 0) {
            end = space;
        }
        return line.substring(0, end);
    }

    private String get(String url) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException(url + " answered HTTP " + response.statusCode());
        }
        return response.body();
    }
}
