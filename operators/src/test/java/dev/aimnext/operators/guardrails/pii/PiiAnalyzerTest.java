package dev.aimnext.operators.guardrails.pii;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import dev.aimnext.operators.guardrails.pii.policy.PiiPolicyParser;
import dev.aimnext.operators.guardrails.pii.recognize.Recognizer;

import org.junit.jupiter.api.Test;

import java.util.List;

class PiiAnalyzerTest {

    private static final PiiAnalyzer DEFAULT = PiiAnalyzer.fromPolicy(PiiPolicyParser.defaultPolicy());

    /** A recognizer that reports fixed spans, whatever the text. */
    private static Recognizer fixed(PiiSpan... spans) {
        return (text, out) -> out.addAll(List.of(spans));
    }

    private static PiiSpan span(PiiEntity entity, int start, int end, double score) {
        return new PiiSpan(entity, start, end, score);
    }

    @Test
    void overlappingSpansKeepTheHigherScoreWhateverTheRecognizerOrder() {
        PiiSpan phone = span(PiiEntity.PHONE_NUMBER, 0, 11, 0.55);
        PiiSpan ssn = span(PiiEntity.US_SSN, 0, 11, 0.6);
        String text = "853-37-1694 is here";

        assertThat(new PiiAnalyzer(List.of(fixed(phone), fixed(ssn)), 0.5, 0).analyze(text))
                .containsExactly(ssn);
        assertThat(new PiiAnalyzer(List.of(fixed(ssn), fixed(phone)), 0.5, 0).analyze(text))
                .containsExactly(ssn);
    }

    @Test
    void onATieTheLongerSpanWins() {
        PiiSpan v4Tail = span(PiiEntity.IP_ADDRESS, 7, 18, 0.6);
        PiiSpan v6 = span(PiiEntity.IP_ADDRESS, 0, 18, 0.6);
        String text = "::ffff:192.0.2.128";

        assertThat(new PiiAnalyzer(List.of(fixed(v4Tail, v6)), 0.5, 0).analyze(text)).containsExactly(v6);
    }

    @Test
    void keepsDisjointAndAdjacentSpansOrderedByStart() {
        PiiSpan second = span(PiiEntity.EMAIL_ADDRESS, 10, 20, 0.9);
        PiiSpan first = span(PiiEntity.PHONE_NUMBER, 0, 10, 0.7);
        PiiSpan third = span(PiiEntity.CREDIT_CARD, 25, 30, 1.0);
        PiiSpan loser = span(PiiEntity.US_SSN, 24, 26, 0.6);
        String text = "x".repeat(40);

        assertThat(new PiiAnalyzer(List.of(fixed(second, third, loser, first)), 0.5, 0).analyze(text))
                .containsExactly(first, second, third);
    }

    @Test
    void aSpanBetweenTwoHigherSpansThatItOverlapsIsDropped() {
        PiiSpan left = span(PiiEntity.PHONE_NUMBER, 0, 10, 0.9);
        PiiSpan right = span(PiiEntity.PHONE_NUMBER, 12, 20, 0.9);
        PiiSpan bridge = span(PiiEntity.CREDIT_CARD, 5, 15, 0.8);

        assertThat(new PiiAnalyzer(List.of(fixed(bridge, left, right)), 0.5, 0).analyze("x".repeat(20)))
                .containsExactly(left, right);
    }

    @Test
    void theThresholdIsInclusive() {
        PiiSpan at = span(PiiEntity.IBAN_CODE, 0, 4, 0.5);
        PiiSpan below = span(PiiEntity.IBAN_CODE, 5, 9, 0.49);
        String text = "aaaa bbbb";

        assertThat(new PiiAnalyzer(List.of(fixed(at, below)), 0.5, 0).analyze(text)).containsExactly(at);
        assertThat(new PiiAnalyzer(List.of(fixed(at, below)), 0.51, 0).analyze(text)).isEmpty();
        assertThat(new PiiAnalyzer(List.of(fixed(at, below)), 0.0, 0).analyze(text)).containsExactly(at, below);
    }

    @Test
    void aContextWordBeforeTheSpanAddsTheBoost() {
        String text = "my ssn: 536904399";
        int start = text.indexOf("536");
        PiiSpan weak = span(PiiEntity.US_SSN, start, text.length(), 0.3);

        List<PiiSpan> spans = new PiiAnalyzer(List.of(fixed(weak)), 0.5, 5).analyze(text);

        assertThat(spans).hasSize(1);
        assertThat(spans.get(0).score()).isCloseTo(0.3 + PiiAnalyzer.CONTEXT_BOOST, within(1e-9));
        assertThat(spans.get(0).start()).isEqualTo(start);
    }

    @Test
    void withoutAContextWordAWeakSpanStaysBelowTheThreshold() {
        String text = "my ref: 536904399";
        PiiSpan weak = span(PiiEntity.US_SSN, text.indexOf("536"), text.length(), 0.3);

        assertThat(new PiiAnalyzer(List.of(fixed(weak)), 0.5, 5).analyze(text)).isEmpty();
    }

    @Test
    void contextWordsAreReadOnlyWithinTheConfiguredWindow() {
        String text = "ssn of the person in question 536904399";
        PiiSpan weak = span(PiiEntity.US_SSN, text.indexOf("536"), text.length(), 0.3);

        assertThat(new PiiAnalyzer(List.of(fixed(weak)), 0.5, 5).analyze(text)).isEmpty();
        assertThat(new PiiAnalyzer(List.of(fixed(weak)), 0.5, 6).analyze(text)).hasSize(1);
        assertThat(new PiiAnalyzer(List.of(fixed(weak)), 0.5, 0).analyze(text)).isEmpty();
    }

    @Test
    void contextWordsOfAnotherEntityDoNotBoost() {
        String text = "email 536904399";
        PiiSpan weak = span(PiiEntity.US_SSN, 6, text.length(), 0.3);

        assertThat(new PiiAnalyzer(List.of(fixed(weak)), 0.5, 5).analyze(text)).isEmpty();
    }

    @Test
    void theBoostIsCappedAtOne() {
        String text = "phone 555";
        PiiSpan strong = span(PiiEntity.PHONE_NUMBER, 6, 9, 0.9);

        assertThat(new PiiAnalyzer(List.of(fixed(strong)), 0.5, 5).analyze(text))
                .containsExactly(strong.withScore(1.0));
    }

    @Test
    void emptyAndNullTextHaveNoSpans() {
        PiiAnalyzer analyzer = new PiiAnalyzer(List.of(fixed(span(PiiEntity.JWT, 0, 1, 1.0))), 0.5, 5);

        assertThat(analyzer.analyze("")).isEmpty();
        assertThat(analyzer.analyze(null)).isEmpty();
    }

    // The built-in recognizers together, with the default policy.

    @Test
    void aDashedSsnBeatsThePhoneNumberItAlsoLooksLike() {
        String bare = "853-37-1694";
        String withContext = "His social security number is 853-37-1694";

        assertThat(DEFAULT.analyze(bare))
                .extracting(PiiSpan::entity, PiiSpan::start, PiiSpan::end)
                .containsExactly(tuple(PiiEntity.US_SSN, 0, 11));
        assertThat(DEFAULT.analyze(withContext))
                .extracting(PiiSpan::entity, PiiSpan::start, PiiSpan::end)
                .containsExactly(tuple(PiiEntity.US_SSN, 30, 41));
    }

    @Test
    void aPlainNineDigitSsnNeedsItsContextWord() {
        assertThat(DEFAULT.analyze("ticket 536904399")).isEmpty();
        assertThat(DEFAULT.analyze("SSN 536904399"))
                .extracting(PiiSpan::entity, PiiSpan::start, PiiSpan::end)
                .containsExactly(tuple(PiiEntity.US_SSN, 4, 13));
    }

    @Test
    void aTwelveDigitMaestroNumberNeedsACardWord() {
        assertThat(DEFAULT.analyze("reference 501864667909")).isEmpty();
        assertThat(DEFAULT.analyze("my debit card 501864667909 is lost"))
                .extracting(PiiSpan::entity, PiiSpan::start, PiiSpan::end)
                .containsExactly(tuple(PiiEntity.CREDIT_CARD, 14, 26));
    }

    @Test
    void findsEveryKindInOneText() {
        String text = "Mail jane@example.com or call +44 20 7946 0958; card 4111 1111 1111 1111,"
                + " SSN 536-90-4399, IBAN DE89 3704 0044 0532 0130 00, host 10.0.0.1,"
                + " key AKIAIOSFODNN7EXAMPLE.";

        assertThat(DEFAULT.analyze(text))
                .extracting(span -> span.entity() + "=" + text.substring(span.start(), span.end()))
                .containsExactly(
                        "EMAIL_ADDRESS=jane@example.com",
                        "PHONE_NUMBER=+44 20 7946 0958",
                        "CREDIT_CARD=4111 1111 1111 1111",
                        "US_SSN=536-90-4399",
                        "IBAN_CODE=DE89 3704 0044 0532 0130 00",
                        "IP_ADDRESS=10.0.0.1",
                        "AWS_ACCESS_KEY=AKIAIOSFODNN7EXAMPLE");
    }

    @Test
    void benignTextWithNumbersHasNoFindings() {
        String text = "Upgrade notes: version 2.4.1.3 fixes the login timeout. Order #4512339870"
                + " shipped on 2024-03-15 at 12:30:45; see std::vector and v1.2.3.4. Our public"
                + " library opens at 9 am, 15/03/2024. How many 16 GB shards for a 120 GB model?";

        assertThat(DEFAULT.analyze(text)).isEmpty();
    }
}
