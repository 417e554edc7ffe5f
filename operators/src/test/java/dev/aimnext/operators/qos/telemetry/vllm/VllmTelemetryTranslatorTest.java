package dev.aimnext.operators.qos.telemetry.vllm;

import dev.aimnext.operators.qos.telemetry.prometheus.Exposition;
import dev.aimnext.operators.qos.telemetry.prometheus.PrometheusTextParser;
import dev.aimnext.schemas.event.GpuSample;
import dev.aimnext.schemas.event.RequestPriority;
import dev.aimnext.schemas.event.RequestStatus;
import dev.aimnext.schemas.event.RequestTelemetry;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.ToDoubleFunction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class VllmTelemetryTranslatorTest {

    private static final long T1 = 1_730_000_000_000L;
    private static final long T2 = T1 + 5_000;
    private static final long GIB = 1L << 30;

    static Exposition fixture(String name) {
        try (InputStream in = VllmTelemetryTranslatorTest.class.getResourceAsStream("/qos/vllm/" + name)) {
            assertThat(in).as(name).isNotNull();
            return PrometheusTextParser.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static VllmTelemetryTranslator translator(String model) {
        return VllmTelemetryTranslator.builder().model(model).partition("gpu0/cpx3").node("node-7")
                .priority(RequestPriority.HIGH).vramLimitBytes(24 * GIB).build();
    }

    /** How many events have a measure in each bucket (lower, upper], overflow last. */
    private static int[] perBucket(List<RequestTelemetry> events, ToDoubleFunction<RequestTelemetry> measure,
            double... bounds) {
        int[] counts = new int[bounds.length + 1];
        for (RequestTelemetry event : events) {
            double v = measure.applyAsDouble(event);
            int i = 0;
            while (i < bounds.length && v > bounds[i]) {
                i++;
            }
            counts[i]++;
        }
        return counts;
    }

    @Test
    void aV0ServerYieldsOneEventPerFinishedRequestShapedLikeItsHistograms() {
        VllmTelemetryTranslator translator = translator("meta-llama/Llama-3.1-8B-Instruct");

        ScrapeTranslation first = translator.translate(fixture("vllm-v0-scrape-1.prom"), T1);
        ScrapeTranslation second = translator.translate(fixture("vllm-v0-scrape-2.prom"), T2);

        assertThat(first.baseline()).isTrue();
        assertThat(first.requests()).isEmpty();
        assertThat(second.baseline()).isFalse();
        assertThat(second.tpotSource()).isEqualTo("vllm:time_per_output_token_seconds");
        List<RequestTelemetry> events = second.requests();
        assertThat(events).hasSize(12);
        assertThat(perBucket(events, RequestTelemetry::getE2eMs, 2500, 5000, 10000, 15000, 20000, 30000))
                .containsExactly(0, 1, 2, 3, 5, 1, 0);
        // Bucket midpoints add up to 168.75 s; vLLM's sum is 164.36 s.
        assertThat(events.stream().mapToDouble(RequestTelemetry::getE2eMs).sum()).isCloseTo(168_750, within(1.0));
        // 13 first tokens for 12 finished requests: the quantiles of the 13 stand in.
        assertThat(perBucket(events, RequestTelemetry::getTtftMs, 40, 60, 80, 100, 250, 500))
                .containsExactly(0, 1, 0, 2, 8, 1, 0);
        // Per-token gaps: 5 of 5233 at or under 10 ms, 15 over 50 ms, so no request lands there.
        assertThat(perBucket(events, RequestTelemetry::getTpotMs, 10, 25, 50)).containsExactly(0, 3, 9, 0);
        assertThat(perBucket(events, e -> e.getPromptTokens(), 100, 200, 500, 1000)).containsExactly(0, 2, 7, 3, 0);
        assertThat(perBucket(events, e -> e.getCompletionTokens(), 200, 500, 1000)).containsExactly(0, 7, 5, 0);
        assertThat(events).allSatisfy(e -> {
            assertThat(e.getModel()).isEqualTo("meta-llama/Llama-3.1-8B-Instruct");
            assertThat(e.getPartitionId()).isEqualTo("gpu0/cpx3");
            assertThat(e.getGpuId()).isEqualTo("gpu0");
            assertThat(e.getNode()).isEqualTo("node-7");
            assertThat(e.getPriority()).isEqualTo(RequestPriority.HIGH);
            assertThat(e.getStatus()).isEqualTo(RequestStatus.OK);
            assertThat(e.getEventTimeMs()).isGreaterThan(T1).isLessThanOrEqualTo(T2);
            assertThat(e.getRequestId()).startsWith("vllm-est:gpu0/cpx3:meta-llama/Llama-3.1-8B-Instruct:" + T2 + ":");
        });
        assertThat(events).extracting(RequestTelemetry::getRequestId).doesNotHaveDuplicates();
        assertThat(events).extracting(RequestTelemetry::getEventTimeMs).isSorted().doesNotHaveDuplicates();
        assertThat(second.gauges().runningRequests()).hasValue(2);
        assertThat(second.gauges().waitingRequests()).hasValue(1);
        assertThat(second.gauges().kvCacheUsage()).hasValue(0.04581445881302617);
        assertThat(second.resetSeries()).isZero();
    }

    @Test
    void aDataParallelV1ServerIsReadOverItsEnginesWithPerRequestTimePerToken() {
        VllmTelemetryTranslator translator = translator("Qwen/Qwen3-8B");

        translator.translate(fixture("vllm-v1-dp2-scrape-1.prom"), T1);
        ScrapeTranslation second = translator.translate(fixture("vllm-v1-dp2-scrape-2.prom"), T2);

        assertThat(second.tpotSource()).isEqualTo("vllm:request_time_per_output_token_seconds");
        List<RequestTelemetry> events = second.requests();
        assertThat(events).hasSize(31);
        assertThat(perBucket(events, RequestTelemetry::getE2eMs, 2500, 5000, 10000, 15000, 20000, 30000))
                .containsExactly(0, 1, 12, 6, 9, 3, 0);
        assertThat(perBucket(events, RequestTelemetry::getTtftMs, 40, 60, 80, 100, 250, 500))
                .containsExactly(0, 1, 3, 4, 17, 6, 0);
        assertThat(perBucket(events, RequestTelemetry::getTpotMs, 10, 25, 50)).containsExactly(0, 7, 24, 0);
        assertThat(perBucket(events, e -> e.getPromptTokens(), 100, 200, 500, 1000)).containsExactly(0, 4, 7, 20, 0);
        assertThat(perBucket(events, e -> e.getCompletionTokens(), 100, 200, 500, 1000))
                .containsExactly(0, 3, 16, 12, 0);
        // Running and waiting add up over engines; the stale 0.0 of the second API-server pid is ignored.
        assertThat(second.gauges().runningRequests()).hasValue(17);
        assertThat(second.gauges().waitingRequests()).hasValue(4);
        assertThat(second.gauges().kvCacheUsage().getAsDouble()).isCloseTo(0.375, within(1e-12));
    }

    @Test
    void kvCacheUsageBecomesAGpuSampleOfTheConfiguredBudget() {
        VllmTelemetryTranslator translator = translator("Qwen/Qwen3-8B");

        ScrapeTranslation first = translator.translate(fixture("vllm-v1-dp2-scrape-1.prom"), T1);
        ScrapeTranslation second = translator.translate(fixture("vllm-v1-dp2-scrape-2.prom"), T2);

        assertThat(first.gpuSample()).isPresent();
        GpuSample sample = second.gpuSample().orElseThrow();
        assertThat(sample.getVramLimitBytes()).isEqualTo(24 * GIB);
        assertThat(sample.getVramUsedBytes()).isEqualTo(Math.round(0.375 * 24 * GIB));
        assertThat(sample.getGpuId()).isEqualTo("gpu0");
        assertThat(sample.getPartitionId()).isEqualTo("gpu0/cpx3");
        assertThat(sample.getNode()).isEqualTo("node-7");
        assertThat(sample.getBackend()).isEqualTo("vllm");
        assertThat(sample.getSampledAtMs()).isEqualTo(T2);
        assertThat(sample.getActivityPct()).isNull();
        assertThat(sample.getProcesses()).singleElement().satisfies(p -> {
            assertThat(p.getModel()).isEqualTo("Qwen/Qwen3-8B");
            assertThat(p.getVramBytes()).isEqualTo(sample.getVramUsedBytes());
        });
        VllmTelemetryTranslator noBudget = VllmTelemetryTranslator.builder().model("Qwen/Qwen3-8B")
                .partition("gpu0").build();
        assertThat(noBudget.translate(fixture("vllm-v1-dp2-scrape-1.prom"), T1).gpuSample()).isEmpty();
    }

    @Test
    void aRestartedServerCountsWhatItDidSinceTheRestart() {
        VllmTelemetryTranslator translator = translator("Qwen/Qwen3-8B");

        translator.translate(fixture("vllm-v1-dp2-scrape-2.prom"), T1);
        ScrapeTranslation afterRestart = translator.translate(fixture("vllm-v1-dp2-scrape-1.prom"), T2);

        // Scrape 1 holds 210 + 198 requests, all of them since the (simulated) restart.
        assertThat(afterRestart.requests()).hasSize(408);
        assertThat(afterRestart.resetSeries()).isGreaterThanOrEqualTo(2);
        assertThat(afterRestart.requests()).allSatisfy(e -> assertThat(e.getE2eMs()).isBetween(1_500.0, 15_000.0));
    }

    @Test
    void aV0HistogramThatGetsItsFirstSeriesCountsFromZero() {
        String declaredOnly = """
                # TYPE vllm:num_requests_running gauge
                vllm:num_requests_running{model_name="m"} 0.0
                # TYPE vllm:e2e_request_latency_seconds histogram
                # TYPE vllm:time_to_first_token_seconds histogram
                # TYPE vllm:time_per_output_token_seconds histogram
                """;
        String firstRequests = declaredOnly + """
                vllm:e2e_request_latency_seconds_bucket{le="1.0",model_name="m"} 1.0
                vllm:e2e_request_latency_seconds_bucket{le="+Inf",model_name="m"} 3.0
                vllm:e2e_request_latency_seconds_count{model_name="m"} 3.0
                vllm:e2e_request_latency_seconds_sum{model_name="m"} 4.5
                """;
        VllmTelemetryTranslator translator = translator("m");

        assertThat(translator.translate(PrometheusTextParser.parse(declaredOnly), T1).requests()).isEmpty();
        List<RequestTelemetry> events = translator.translate(PrometheusTextParser.parse(firstRequests), T2).requests();

        // 0.5 s estimated in (0, 1]; the 4 s left of the sum shared by the two above 1 s.
        assertThat(events).extracting(RequestTelemetry::getE2eMs).containsExactlyInAnyOrder(500.0, 2000.0, 2000.0);
        // TTFT and TPOT histograms without series: nothing to estimate from.
        assertThat(events).allSatisfy(e -> assertThat(e.getTtftMs()).isZero());
    }

    @Test
    void saysWhichModelsTheServerHasWhenTheRequestedOneIsMissing() {
        assertThatThrownBy(() -> translator("llama").translate(fixture("vllm-v1-dp2-scrape-1.prom"), T1))
                .isInstanceOf(VllmMetricsException.class)
                .hasMessageContaining("no vllm:* series with model_name=\"llama\"")
                .hasMessageContaining("the server reports Qwen/Qwen3-8B");
    }

    @Test
    void refusesAnEndpointWithoutVllmMetrics() {
        Exposition node = PrometheusTextParser.parse("# TYPE node_load1 gauge\nnode_load1 0.42\n");

        assertThatThrownBy(() -> translator("m").translate(node, T1))
                .isInstanceOf(VllmMetricsException.class)
                .hasMessageContaining("no vllm:* metrics");
    }

    @Test
    void refusesAServerWithoutTheLatencyHistogramsItNeeds() {
        Exposition gaugesOnly = PrometheusTextParser.parse("vllm:num_requests_running{model_name=\"m\"} 1\n");

        assertThatThrownBy(() -> translator("m").translate(gaugesOnly, T1))
                .isInstanceOf(VllmMetricsException.class)
                .hasMessageContaining("no vllm:e2e_request_latency_seconds histogram");
    }

    @Test
    void finishTimesInterleaveOverTheInterval() {
        assertThat(RequestTelemetryEstimator.finishTimes(4, 1000, 2000)).containsExactly(2000, 1500, 1750, 1250);
        assertThat(RequestTelemetryEstimator.finishTimes(3, 1000, 1000)).containsExactly(1000, 1000, 1000);
    }
}
