package dev.aimnext.operators.guardrails.pii.bench;

import dev.aimnext.operators.guardrails.pii.PiiGuardrail;
import dev.aimnext.operators.guardrails.pii.policy.PiiPolicyParser;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Throughput of the PII guardrail stage, {@link PiiGuardrail#checkText}, on realistic prompts of
 * about 1 KB with the default policy: benign prose with the usual numbers (years, versions, times,
 * amounts) but no PII, and the same kind of prose with three PII values mixed in. The target is
 * 20,000 texts per second per core. Run it with {@link PiiStageBenchmarkMain}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@Threads(1)
public class PiiStageBenchmark {

    /** About 1 KB of chat-style prose without PII, but with digits, dots and colons. */
    static final String BENIGN_PROSE =
            "Hi! I'm preparing the quarterly review for our platform team and need help turning my"
                    + " notes into a short summary. In Q3 2024 we shipped 14 releases, moved the"
                    + " build from Java 11 to Java 17 and upgraded the scheduler to version 3.2.1."
                    + " Median build time dropped from 12.5 to 7.8 minutes, and the p99 latency of"
                    + " the ingestion service went down by 35% after we doubled the partitions"
                    + " from 24 to 48. We still had two incidents: on the 14th the nightly job ran"
                    + " for 3 hours 20 minutes because of a skewed join, and at 02:15 on a Sunday a"
                    + " certificate expired on the staging cluster. Budget-wise we spent about"
                    + " 41,300 EUR of the planned 45,000, mostly on compute. For Q4 the plan is to"
                    + " cut cloud costs by another 10 to 15 percent, retire the legacy queue, and"
                    + " run a two-day workshop on observability for the 6 new engineers. Could you"
                    + " write this up as five bullet points for a slide, keep the tone factual,"
                    + " and suggest one chart that would show the latency improvement well? Also,"
                    + " please flag anything that sounds like a risk we should mention to the"
                    + " steering committee next week. Thanks a lot for your help with this!";

    /** The same kind of prose, with an email address, a phone number and a card number. */
    static final String PROSE_WITH_PII =
            "Hello, I need help writing a polite follow-up to a customer about a billing problem"
                    + " from March. The customer, who wrote to us from jane.doe@example.com, says"
                    + " she was charged twice for the annual plan: once on the 3rd and again on"
                    + " the 5th, 129.00 EUR each time. She paid with the card 4111 1111 1111 1111"
                    + " and would like the duplicate charge refunded to the same card rather than"
                    + " as store credit. She also asked us to call her back on +44 20 7946 0958"
                    + " between 9:00 and 17:30 UK time, because she prefers to talk it through."
                    + " Our policy is to refund duplicates within 5 to 7 working days, and the"
                    + " finance team has already approved it under ticket 2024-118. Please draft"
                    + " a short reply that apologises for the trouble, confirms the refund and"
                    + " the expected timeline, offers the call she asked for, and mentions that"
                    + " we fixed the bug in release 4.8 so it should not happen again. Keep it"
                    + " under 150 words, friendly but professional, and avoid any jargon. Thank"
                    + " you, and let me know if you need more details from the case notes.";

    private PiiGuardrail guardrail;

    @Setup
    public void setUp() {
        guardrail = new PiiGuardrail(PiiPolicyParser.defaultPolicy(), name -> null);
    }

    @Benchmark
    public PiiGuardrail.TextOutcome benignProse() {
        return guardrail.checkText(BENIGN_PROSE, "tenant-a");
    }

    @Benchmark
    public PiiGuardrail.TextOutcome proseWithPii() {
        return guardrail.checkText(PROSE_WITH_PII, "tenant-a");
    }
}
