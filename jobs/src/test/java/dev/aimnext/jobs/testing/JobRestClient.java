package dev.aimnext.jobs.testing;

import org.apache.flink.api.common.JobID;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads job metrics from the MiniCluster's REST API, as the web UI does. */
public final class JobRestClient {

    private static final Pattern VALUE = Pattern.compile("\"value\"\\s*:\\s*\"(\\d+)\"");

    private final URI restAddress;
    private final HttpClient http = HttpClient.newHttpClient();

    public JobRestClient(URI restAddress) {
        this.restAddress = restAddress;
    }

    /**
     * The job's {@code numRestarts} metric. The REST endpoint answers from a metric cache that is
     * filled asynchronously, so an empty answer is retried for a while.
     */
    public long restarts(JobID job) throws IOException, InterruptedException {
        URI uri = restAddress.resolve("/jobs/" + job + "/metrics?get=numRestarts");
        String body = "";
        for (int attempt = 0; attempt < 60; attempt++) {
            body = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            Matcher m = VALUE.matcher(body);
            if (m.find()) {
                return Long.parseLong(m.group(1));
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("no numRestarts metric in " + body);
    }
}
