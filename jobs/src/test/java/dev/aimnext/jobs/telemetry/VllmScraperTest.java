package dev.aimnext.jobs.telemetry;

import dev.aimnext.operators.qos.telemetry.vllm.ScrapeTranslation;
import dev.aimnext.operators.qos.telemetry.vllm.VllmTelemetryTranslator;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;

/** The scrape loop against a stand-in server and a collecting sink: no broker. */
class VllmScraperTest {

    /** Keeps what it is handed, and opens a latch after a number of scrapes. */
    private static final class CollectingSink implements TelemetrySink {

        final List<ScrapeTranslation> scrapes = new ArrayList<>();
        final CountDownLatch enough;
        boolean closed;

        CollectingSink(CountDownLatch enough) {
            this.enough = enough;
        }

        @Override
        public void publish(ScrapeTranslation scrape) {
            scrapes.add(scrape);
            enough.countDown();
        }

        @Override
        public void flush() {}

        @Override
        public long sent() {
            return scrapes.stream().mapToLong(s -> s.requests().size() + (s.gpuSample().isPresent() ? 1 : 0)).sum();
        }

        @Override
        public long failed() {
            return 0;
        }

        @Override
        public String firstError() {
            return "";
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    @Test
    void aFailedScrapeIsReportedAndTheNextComparesWithTheLastGoodOne() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        CountDownLatch twoPublished = new CountDownLatch(2);
        CollectingSink sink = new CollectingSink(twoPublished);
        try (FakeVllmServer server = new FakeVllmServer(List.of(
                FakeVllmServer.Response.metrics(FakeVllmServer.fixture("vllm-v1-dp2-scrape-1.prom")),
                new FakeVllmServer.Response(503, "text/plain", "restarting"),
                FakeVllmServer.Response.metrics(FakeVllmServer.fixture("vllm-v1-dp2-scrape-2.prom"))))) {
            VllmScraper scraper = new VllmScraper(
                    new MetricsEndpoint(URI.create(server.metricsUrl()), Duration.ofSeconds(5)),
                    VllmTelemetryTranslator.builder().model("Qwen/Qwen3-8B").partition("gpu0").build(),
                    interval -> sink, Duration.ofMillis(100), new PrintStream(printed, true, StandardCharsets.UTF_8),
                    Clock.systemUTC());

            VllmScraper.Summary summary = scraper.run(false, twoPublished);

            assertThat(summary.scrapes()).isEqualTo(3);
            assertThat(summary.published()).isEqualTo(31);
            assertThat(sink.scrapes).extracting(s -> s.requests().size()).containsExactly(0, 31);
            assertThat(sink.closed).isTrue();
            assertThat(printed.toString(StandardCharsets.UTF_8).lines().toList()).satisfiesExactly(
                    first -> assertThat(first).contains("baseline of Qwen/Qwen3-8B"),
                    failed -> assertThat(failed).contains("scrape failed, retrying in 100 ms: GET " + server.metricsUrl()
                            + " answered HTTP 503"),
                    third -> assertThat(third).contains("31 requests finished"));
        }
    }
}
