package dev.aimnext.jobs.telemetry;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Reading a metrics endpoint over HTTP, against a local stand-in. */
class MetricsEndpointTest {

    @Test
    void aUrlWithoutPathMeansItsMetricsPath() {
        assertThat(MetricsEndpoint.metricsUri("http://vllm:8000")).isEqualTo(URI.create("http://vllm:8000/metrics"));
        assertThat(MetricsEndpoint.metricsUri("http://vllm:8000/")).isEqualTo(URI.create("http://vllm:8000/metrics"));
        assertThat(MetricsEndpoint.metricsUri("https://vllm/custom")).isEqualTo(URI.create("https://vllm/custom"));
        assertThatThrownBy(() -> MetricsEndpoint.metricsUri("vllm:8000/metrics"))
                .hasMessageContaining("--url must be an http:// or https:// URL");
    }

    @Test
    void parsesWhatTheEndpointAnswers() throws Exception {
        try (FakeVllmServer server = new FakeVllmServer(List.of(
                FakeVllmServer.Response.metrics(FakeVllmServer.fixture("vllm-v1-dp2-scrape-1.prom"))))) {
            MetricsEndpoint endpoint = new MetricsEndpoint(URI.create(server.metricsUrl()), Duration.ofSeconds(5));

            assertThat(endpoint.scrape().histograms("vllm:e2e_request_latency_seconds")).hasSize(2);
        }
    }

    @Test
    void saysWhatIsWrongWithAnEndpointThatIsNotPrometheus() throws Exception {
        try (FakeVllmServer server = new FakeVllmServer(List.of(
                new FakeVllmServer.Response(404, "application/json", "{\"detail\":\"Not Found\"}"),
                new FakeVllmServer.Response(200, "text/html; charset=utf-8", "<html><body>Grafana</body></html>"),
                new FakeVllmServer.Response(200, "text/plain", "OK: healthy\n")))) {
            MetricsEndpoint endpoint = new MetricsEndpoint(URI.create(server.metricsUrl()), Duration.ofSeconds(5));

            assertThatThrownBy(endpoint::scrape).isInstanceOf(MetricsEndpointException.class)
                    .hasMessage("GET " + server.metricsUrl() + " answered HTTP 404; the vLLM metrics endpoint is"
                            + " /metrics on the API port");
            assertThatThrownBy(endpoint::scrape)
                    .hasMessage(server.metricsUrl() + " answered text/html, not Prometheus text; is this the /metrics"
                            + " endpoint?");
            assertThatThrownBy(endpoint::scrape)
                    .hasMessageStartingWith(server.metricsUrl() + " did not answer Prometheus text exposition: line 1:")
                    .hasMessageContaining("value 'healthy' of OK: is not a number");
        }
    }
}
