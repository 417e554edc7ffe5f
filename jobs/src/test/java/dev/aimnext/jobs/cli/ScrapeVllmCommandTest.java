package dev.aimnext.jobs.cli;

import dev.aimnext.jobs.local.PortCheck;
import dev.aimnext.jobs.telemetry.FakeVllmServer;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What {@code aim scrape-vllm} tells the user when the endpoint or the options are wrong; no broker. */
class ScrapeVllmCommandTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return AimCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String errors() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void anUnreachableServerIsOneLineAndExitTwo() {
        String url = "http://127.0.0.1:" + PortCheck.freePort() + "/metrics";

        int code = run("scrape-vllm", "--url", url, "--model", "m", "--partition", "gpu0", "--once");

        assertThat(code).isEqualTo(2);
        assertThat(errors()).isEqualTo("aim: cannot reach " + url + ": connection refused; is the vLLM server running"
                + " on that port?" + System.lineSeparator());
    }

    @Test
    void anEndpointThatIsNotVllmSaysWhyBeforeAnythingIsPublished() {
        try (FakeVllmServer server = new FakeVllmServer(List.of(new FakeVllmServer.Response(200,
                "text/html", "<!DOCTYPE html><title>Grafana</title>")))) {

            int code = run("scrape-vllm", "--url", server.metricsUrl(), "--model", "m", "--partition", "gpu0",
                    "--bootstrap", "127.0.0.1:1", "--once");

            assertThat(code).isEqualTo(2);
            assertThat(errors()).startsWith("aim: " + server.metricsUrl() + " answered text/html, not Prometheus text");
            assertThat(server.served()).isEqualTo(1);
        }
    }

    @Test
    void aModelTheServerDoesNotServeIsNamedWithTheOnesItDoes() {
        try (FakeVllmServer server = new FakeVllmServer(List.of(FakeVllmServer.Response.metrics(
                FakeVllmServer.fixture("vllm-v1-dp2-scrape-1.prom"))))) {

            int code = run("scrape-vllm", "--url", server.metricsUrl(), "--model", "Qwen/Qwen3-32B",
                    "--partition", "gpu0", "--once");

            assertThat(code).isEqualTo(2);
            assertThat(errors()).contains("aim: no vllm:* series with model_name=\"Qwen/Qwen3-32B\"; the server reports"
                    + " Qwen/Qwen3-8B");
        }
    }

    @Test
    void optionsAreChecked() {
        assertThat(run("scrape-vllm", "--url", "http://x/metrics", "--partition", "p")).isEqualTo(2);
        assertThat(run("scrape-vllm", "--url", "http://x/metrics", "--model", "m", "--partition", "p",
                "--interval", "fast")).isEqualTo(2);
        assertThat(run("scrape-vllm", "--url", "http://x/metrics", "--model", "m", "--partition", "p",
                "--priority", "urgent")).isEqualTo(2);
        assertThat(run("scrape-vllm", "--url", "http://x/metrics", "--model", "m", "--partition", "p",
                "--vram-limit-gb", "-4")).isEqualTo(2);
        assertThat(run("scrape-vllm", "--url", "http://x/metrics", "--model", "m", "--partition", "p",
                "--bootstrap-servers", "k:9092")).isEqualTo(2);
        assertThat(errors().lines()).containsExactly(
                "aim: scrape-vllm needs --model: the served model name, as vLLM's model_name label has it",
                "aim: --interval must be a duration of at least 100ms such as 5s, 500ms or 1m, got 'fast'",
                "aim: --priority must be HIGH, NORMAL or LOW, got 'urgent'",
                "aim: --vram-limit-gb must be a positive number of GiB, got '-4'",
                "aim: unknown option --bootstrap-servers");
    }

    @Test
    void intervalsTakeSecondsMillisecondsAndMinutes() {
        assertThat(ScrapeVllmCommand.interval("5")).isEqualTo(Duration.ofSeconds(5));
        assertThat(ScrapeVllmCommand.interval("5s")).isEqualTo(Duration.ofSeconds(5));
        assertThat(ScrapeVllmCommand.interval("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(ScrapeVllmCommand.interval("1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThat(ScrapeVllmCommand.interval("1m")).isEqualTo(Duration.ofMinutes(1));
        assertThatThrownBy(() -> ScrapeVllmCommand.interval("50ms")).isInstanceOf(IllegalArgumentException.class);
    }
}
