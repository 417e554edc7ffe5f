package dev.aimnext.operators.qos.telemetry.vllm;

import dev.aimnext.operators.qos.telemetry.prometheus.BucketCounts;
import dev.aimnext.schemas.event.RequestStatus;
import dev.aimnext.schemas.event.RequestTelemetry;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Turns the histogram increase of one scrape interval into one {@link RequestTelemetry} per request
 * that finished in it. This is an estimate, and downstream should know what it can and cannot
 * carry:
 *
 * <ul>
 *   <li><b>How many.</b> Exact: the number of end-to-end latency observations added, which vLLM
 *       records once per finished request.
 *   <li><b>Latencies and token counts.</b> Right per bucket, not per request. Each measure gets the
 *       {@linkplain BucketCounts#representativeValues representative values} of its own increase,
 *       so every quantile over the interval's events matches the histograms to bucket resolution;
 *       inside a bucket the values are spread evenly, and above the highest bound they are fitted
 *       to the histogram's sum.
 *   <li><b>Which values go together.</b> Unknown: the histograms are separate. Request {@code i}
 *       gets the {@code i}-th smallest value of every measure, so slow first tokens, slow decoding
 *       and long outputs go together. Per-measure quantiles and SLO attainment are unaffected;
 *       "met every objective at once" is optimistic.
 *   <li><b>Time to first token</b> is observed when the first token is out, not at finish, so its
 *       increase covers slightly different requests (some still running, some that started in the
 *       previous interval); its distribution is used as is. If it added nothing, its distribution
 *       since the server started stands in.
 *   <li><b>Time per output token</b> is each request's mean when the server has
 *       {@code vllm:request_time_per_output_token_seconds}. Older releases only have the per-token
 *       histogram, whose quantiles are token-weighted and wider than those of per-request means:
 *       then tails are overstated and long requests weigh more.
 *   <li><b>When.</b> Finish times are not in the histograms; they are spread over the interval in
 *       van der Corput order, so any part of the interval gets a fair mix of fast and slow requests
 *       instead of the slowest all landing at its end.
 *   <li><b>Status</b> is {@code OK} for all: vLLM histograms do not separate failed requests.
 * </ul>
 *
 * Request ids are {@code vllm-est:<partition>:<model>:<scrape ms>:<i>}: deterministic, so a scrape
 * published twice deduplicates, and marked as estimated.
 */
public final class RequestTelemetryEstimator {

    private static final double MS_PER_SECOND = 1000.0;

    private RequestTelemetryEstimator() {}

    /** The events for the requests that finished in the interval, ordered by finish time. */
    public static List<RequestTelemetry> estimate(VllmInterval interval, ScrapeTarget target) {
        int n = interval.finishedRequests();
        if (n == 0) {
            return List.of();
        }
        double[] e2e = values(interval, VllmMetric.E2E_LATENCY, n);
        double[] ttft = values(interval, VllmMetric.TIME_TO_FIRST_TOKEN, n);
        double[] tpot = interval.increase(VllmMetric.REQUEST_TIME_PER_OUTPUT_TOKEN).isPresent()
                ? values(interval, VllmMetric.REQUEST_TIME_PER_OUTPUT_TOKEN, n)
                : values(interval, VllmMetric.INTER_TOKEN_LATENCY, n);
        double[] prompt = values(interval, VllmMetric.PROMPT_TOKENS, n);
        double[] completion = values(interval, VllmMetric.GENERATION_TOKENS, n);
        long[] finishedAt = finishTimes(n, interval.fromMs(), interval.toMs());
        List<RequestTelemetry> events = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            events.add(RequestTelemetry.newBuilder()
                    .setRequestId("vllm-est:" + target.partitionId() + ":" + target.model() + ":" + interval.toMs()
                            + ":" + i)
                    .setModel(target.model())
                    .setNode(target.node())
                    .setGpuId(target.gpuId())
                    .setPartitionId(target.partitionId())
                    .setPriority(target.priority())
                    .setTtftMs(ttft[i] * MS_PER_SECOND)
                    .setTpotMs(tpot[i] * MS_PER_SECOND)
                    .setE2eMs(e2e[i] * MS_PER_SECOND)
                    .setPromptTokens(tokens(prompt[i]))
                    .setCompletionTokens(tokens(completion[i]))
                    .setStatus(RequestStatus.OK)
                    .setEventTimeMs(finishedAt[i])
                    .build());
        }
        events.sort(Comparator.comparingLong(RequestTelemetry::getEventTimeMs));
        return events;
    }

    /**
     * {@code n} values of a measure: from the interval's increase, else from everything since the
     * start, else zeros (a measure this server does not export, or a request with one output token
     * has no time per output token).
     */
    private static double[] values(VllmInterval interval, VllmMetric metric, int n) {
        Optional<BucketCounts> source = interval.increase(metric).filter(c -> c.count() > 0)
                .or(() -> interval.sinceStart(metric).filter(c -> c.count() > 0));
        return source.map(c -> c.representativeValues(n)).orElseGet(() -> new double[n]);
    }

    private static int tokens(double estimate) {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(0, Math.round(estimate)));
    }

    /**
     * Finish times in (from, to]: request {@code i} at {@code to - vdc(i) * (to - from)}, with vdc the
     * base-2 van der Corput sequence (0, 1/2, 1/4, 3/4, 1/8, ...), which keeps any stretch of the
     * interval evenly mixed over the ranks.
     */
    static long[] finishTimes(int n, long fromMs, long toMs) {
        long span = Math.max(0, toMs - fromMs);
        long[] times = new long[n];
        for (int i = 0; i < n; i++) {
            times[i] = toMs - (long) Math.floor(vanDerCorput(i) * span);
        }
        return times;
    }

    private static double vanDerCorput(int index) {
        double value = 0;
        double weight = 0.5;
        for (int i = index; i > 0; i >>= 1) {
            if ((i & 1) != 0) {
                value += weight;
            }
            weight /= 2;
        }
        return value;
    }
}
