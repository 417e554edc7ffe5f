package dev.aimnext.operators.qos.telemetry.prometheus;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class PrometheusTextParserTest {

    static String fixture(String name) {
        try (InputStream in = PrometheusTextParserTest.class.getResourceAsStream("/qos/vllm/" + name)) {
            assertThat(in).as(name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void readsAV0ServerScrapeWithTheProcessAndHttpMetricsAroundIt() {
        Exposition scrape = PrometheusTextParser.parse(fixture("vllm-v0-scrape-1.prom"));

        assertThat(scrape.type("vllm:e2e_request_latency_seconds")).contains(MetricType.HISTOGRAM);
        assertThat(scrape.type("vllm:num_preemptions_total")).contains(MetricType.COUNTER);
        assertThat(scrape.type("vllm:gpu_cache_usage_perc")).contains(MetricType.GAUGE);
        assertThat(scrape.help("vllm:gpu_cache_usage_perc")).contains("GPU KV-cache usage. 1 means 100 percent usage.");
        // A declared counter without series yet: the family is there, no sample is.
        assertThat(scrape.hasFamily("vllm:num_preemptions_total")).isTrue();
        assertThat(scrape.samples("vllm:num_preemptions_total")).isEmpty();
        // Python's Go-style exponent with a leading zero.
        assertThat(scrape.samples("process_virtual_memory_bytes")).singleElement()
                .satisfies(s -> assertThat(s.value()).isEqualTo(5.3532893184e10));
        assertThat(scrape.samples("process_max_fds").get(0).value()).isEqualTo(1_048_576.0);
        assertThat(scrape.samples("python_info").get(0).labels())
                .containsEntry("implementation", "CPython").containsEntry("version", "3.12.7");
        assertThat(scrape.samples("vllm:gpu_cache_usage_perc")).singleElement().satisfies(s -> {
            assertThat(s.labels()).isEqualTo(Map.of("model_name", "meta-llama/Llama-3.1-8B-Instruct"));
            assertThat(s.value()).isEqualTo(0.011346012319338567);
            assertThat(s.timestampMs()).isEmpty();
        });
        assertThat(scrape.samples("vllm:request_success_total")).extracting(s -> s.labels().get("finished_reason"))
                .containsExactly("stop", "length");
    }

    @Test
    void readsTheHistogramsOfAMultiProcessV1ScrapeWhereSumsComeFirst() {
        Exposition scrape = PrometheusTextParser.parse(fixture("vllm-v1-dp2-scrape-1.prom"));

        List<CumulativeHistogram> e2e = scrape.histograms("vllm:e2e_request_latency_seconds");

        assertThat(e2e).extracting(h -> h.labels().get("engine")).containsExactly("0", "1");
        CumulativeHistogram engine0 = e2e.get(0);
        assertThat(engine0.labels()).isEqualTo(Map.of("engine", "0", "model_name", "Qwen/Qwen3-8B"));
        assertThat(engine0.upperBounds()).containsExactly(0.3, 0.5, 0.8, 1.0, 1.5, 2.0, 2.5, 5.0, 10.0, 15.0, 20.0,
                30.0, 40.0, 50.0, 60.0, 120.0, 240.0, 480.0, 960.0, 1920.0, 7680.0);
        assertThat(engine0.cumulativeCounts()).startsWith(0, 0, 0, 0, 0, 1, 6, 56, 160, 210);
        assertThat(engine0.count()).isEqualTo(210);
        assertThat(engine0.sum()).isEqualTo(1590.1622864974283);
        // A histogram family whose name ends in _total is still a histogram.
        assertThat(scrape.histograms("vllm:iteration_tokens_total")).hasSize(2);
        assertThat(scrape.samples("vllm:kv_cache_usage_perc")).extracting(s -> s.labels().get("pid"))
                .containsExactly("7369", "7369", "7405", "7405");
    }

    @Test
    void unescapesLabelValuesAndHelpText() {
        Exposition scrape = PrometheusTextParser.parse("""
                # HELP odd_total Paths with a \\\\ backslash\\nand a second line.
                # TYPE odd_total counter
                odd_total{path="C:\\\\models\\\\",quote="say \\"hi\\"",multi="a\\nb",empty=""} 3
                """);

        Sample sample = scrape.samples("odd_total").get(0);
        assertThat(sample.labels()).containsEntry("path", "C:\\models\\").containsEntry("quote", "say \"hi\"")
                .containsEntry("multi", "a\nb").containsEntry("empty", "");
        assertThat(scrape.help("odd_total")).contains("Paths with a \\ backslash\nand a second line.");
    }

    @Test
    void takesSpecialValuesExponentsTimestampsBlanksAndComments() {
        Exposition scrape = PrometheusTextParser.parse("# a free comment\r\n"
                + "\n"
                + "  spaced { a = \"1\" , b=\"2\", } \t 1.5E+3   1700000000123  \r\n"
                + "up +Inf\n"
                + "down -Inf\n"
                + "unknown NaN\n"
                + "tiny 1e-05 -5\n"
                + "# EOF\n"
                + "last_no_newline 7");

        assertThat(scrape.samples("spaced")).singleElement().satisfies(s -> {
            assertThat(s.labels()).isEqualTo(Map.of("a", "1", "b", "2"));
            assertThat(s.value()).isEqualTo(1500.0);
            assertThat(s.timestampMs()).isEqualTo(OptionalLong.of(1_700_000_000_123L));
        });
        assertThat(scrape.samples("up").get(0).value()).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(scrape.samples("down").get(0).value()).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(scrape.samples("unknown").get(0).value()).isNaN();
        assertThat(scrape.samples("tiny").get(0).value()).isCloseTo(1e-5, within(1e-20));
        assertThat(scrape.samples("tiny").get(0).timestampMs()).isEqualTo(OptionalLong.of(-5));
        assertThat(scrape.samples("last_no_newline").get(0).value()).isEqualTo(7.0);
        assertThat(scrape.samples()).hasSize(6);
    }

    @Test
    void skipsAnOpenMetricsExemplarAfterTheValue() {
        Exposition scrape = PrometheusTextParser.parse(
                "req_bucket{le=\"0.5\"} 4 # {trace_id=\"abc\"} 0.31 1700000000.1\n");

        assertThat(scrape.samples("req_bucket").get(0).value()).isEqualTo(4.0);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            html error page       | <!DOCTYPE html>                                | expected a metric name
            json error            | {"detail":"Not Found"}                         | expected a metric name
            unclosed labels       | m{a="1" 2                                      | expected ',' or '}' after label a of m
            unclosed value        | m{a="1} 2                                      | value of label a of m is not closed
            invalid escape        | m{a="\\t"} 2                                   | invalid escape '\\t' in label a of m
            duplicate label       | m{a="1",a="2"} 2                               | label a appears twice in m
            unquoted value        | m{a=1} 2                                       | expected a quoted value for label a of m
            no value              | m{a="1"}                                       | sample m has no value
            hex value             | m 0x10                                         | value '0x10' of m is not a number
            java suffix           | m 1d                                           | value '1d' of m is not a number
            two dots              | m 1.0.0                                        | value '1.0.0' of m is not a number
            fractional timestamp  | m 1 17.5                                       | timestamp '17.5' of m is not whole milliseconds
            text after timestamp  | m 1 17 extra                                   | unexpected 'extra' after the sample of m
            bad name character    | m-n 1                                          | invalid character '-' in metric name m
            unknown type          | # TYPE m gaugy                                 | unknown metric type 'gaugy' for m
            """)
    void rejectsWhatIsNotExposition(String what, String line, String message) {
        assertThatThrownBy(() -> PrometheusTextParser.parse("# HELP x fine\n" + line + "\n"))
                .as(what)
                .isInstanceOf(ExpositionFormatException.class)
                .hasMessageStartingWith("line 2: ")
                .hasMessageContaining(message)
                .satisfies(e -> assertThat(((ExpositionFormatException) e).line()).isEqualTo(2));
    }

    @Test
    void checksFamiliesAcrossLines() {
        assertThatThrownBy(() -> PrometheusTextParser.parse("# TYPE m gauge\n# TYPE m counter\n"))
                .hasMessage("line 2: second TYPE line for m");
        assertThatThrownBy(() -> PrometheusTextParser.parse("# HELP m a\n# HELP m b\n"))
                .hasMessage("line 2: second HELP line for m");
        assertThatThrownBy(() -> PrometheusTextParser.parse("h_bucket{le=\"1\"} 1\n# TYPE h histogram\n"))
                .hasMessage("line 2: TYPE line for h comes after its samples");
        assertThatThrownBy(() -> PrometheusTextParser.parse("# TYPE h histogram\nh_bucket{x=\"1\"} 1\n"))
                .hasMessage("line 2: h_bucket has no le label");
        assertThatThrownBy(() -> PrometheusTextParser.parse("# TYPE h histogram\nh_bucket{le=\"big\"} 1\n"))
                .hasMessage("line 2: le=\"big\" of h_bucket is not a bound");
        assertThatThrownBy(() -> PrometheusTextParser.parse("# TYPE h histogram\nh 1\n"))
                .hasMessageContaining("histogram h has a sample without a _bucket, _sum or _count suffix");
    }

    @Test
    void checksEachHistogramSeries() {
        String notCumulative = """
                # TYPE h histogram
                h_bucket{le="0.1"} 5
                h_bucket{le="0.5"} 3
                h_bucket{le="+Inf"} 5
                """;
        assertThatThrownBy(() -> PrometheusTextParser.parse(notCumulative).histograms("h"))
                .isInstanceOf(ExpositionFormatException.class)
                .hasMessageContaining("histogram h{}: bucket le=0.5 has 3.0 observations, fewer than the 5.0 below it");
        String noInf = "# TYPE h histogram\nh_bucket{le=\"0.1\",m=\"a\"} 1\n";
        assertThatThrownBy(() -> PrometheusTextParser.parse(noInf).histograms("h"))
                .hasMessageContaining("histogram h{m=a}: there is no le=\"+Inf\" bucket");
        String twice = "# TYPE h histogram\nh_bucket{le=\"0.1\"} 1\nh_bucket{le=\"1e-1\"} 1\nh_bucket{le=\"+Inf\"} 1\n";
        assertThatThrownBy(() -> PrometheusTextParser.parse(twice).histograms("h"))
                .hasMessageContaining("bucket le=\"1e-1\" appears twice");
    }
}
