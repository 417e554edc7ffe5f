package dev.aimnext.operators.guardrails.pii;

import dev.aimnext.operators.guardrails.engine.token.EntitySpan;
import dev.aimnext.operators.guardrails.pii.policy.PiiPolicyParser;
import dev.aimnext.operators.guardrails.pii.recognize.NamedEntityRecognizer;
import dev.aimnext.schemas.event.GuardrailAction;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Named entities in the PII guardrail, with a hand-written entity source in place of the NER pack:
 * off by default, merged with pattern spans when on, held to the policy threshold, masked by the
 * default action.
 */
class NamedEntityPiiTest {

    private static final String TEXT = "I am Anna Berg, email anna.berg@example.com, from Oslo.";

    /** Finds "Anna Berg" (PER), "anna.berg" inside the email (PER) and "Oslo" (LOC, low score). */
    private static final class FakeNer {
        final AtomicInteger calls = new AtomicInteger();

        List<List<EntitySpan>> entities(List<String> texts) {
            calls.incrementAndGet();
            List<List<EntitySpan>> out = new ArrayList<>();
            for (String t : texts) {
                List<EntitySpan> spans = new ArrayList<>();
                add(spans, t, "Anna Berg", "PER", 0.95);
                add(spans, t, "anna.berg", "PER", 0.9);
                add(spans, t, "Oslo", "LOC", 0.3);
                out.add(spans);
            }
            return out;
        }

        private static void add(List<EntitySpan> spans, String text, String value, String type, double score) {
            int at = text.indexOf(value);
            if (at >= 0) {
                spans.add(new EntitySpan(type, at, at + value.length(), score));
            }
        }
    }

    private static List<String> shown(List<PiiSpan> spans) {
        List<String> out = new ArrayList<>();
        spans.forEach(s -> out.add(s.entity() + ":" + TEXT.substring(s.start(), s.end())));
        return out;
    }

    @Test
    void withoutANerPackTheAnalyzerIsPatternOnly() {
        PiiAnalyzer analyzer = PiiAnalyzer.fromPolicy(PiiPolicyParser.defaultPolicy());

        assertThat(shown(analyzer.analyze(TEXT))).containsExactly("EMAIL_ADDRESS:anna.berg@example.com");
    }

    @Test
    void namedEntitiesJoinPatternSpansAndPatternsWinOverlaps() {
        FakeNer ner = new FakeNer();
        PiiAnalyzer analyzer = PiiAnalyzer.fromPolicy(PiiPolicyParser.defaultPolicy())
                .withNamedEntities(new NamedEntityRecognizer(ner::entities));

        List<PiiSpan> spans = analyzer.analyze(TEXT);

        // "anna.berg" inside the email goes to the email; Oslo is under the 0.5 threshold.
        assertThat(shown(spans)).containsExactly("PERSON:Anna Berg", "EMAIL_ADDRESS:anna.berg@example.com");
        assertThat(ner.calls).hasValue(1);
        assertThat(analyzer.analyze("")).isEmpty();
    }

    @Test
    void theGuardrailMasksNamedEntitiesWithNumberedPlaceholders() {
        PiiGuardrail guardrail = new PiiGuardrail(PiiPolicyParser.defaultPolicy(), name -> null,
                new NamedEntityRecognizer(new FakeNer()::entities));

        PiiGuardrail.TextOutcome outcome = guardrail.checkText(TEXT, "acme");

        assertThat(outcome.action()).isEqualTo(GuardrailAction.REDACT);
        assertThat(outcome.text()).isEqualTo("I am [PERSON_1], email [EMAIL_ADDRESS_1], from Oslo.");
        assertThat(outcome.findings()).extracting(f -> f.getType()).containsExactly("PERSON", "EMAIL_ADDRESS");
    }

    @Test
    void policyActionsAddressTheNewEntitiesByName() {
        String yaml = """
                version: ner-1
                pii:
                  actions:
                    PERSON: report
                    LOCATION: redact
                """;
        var policy = PiiPolicyParser.parse(yaml, "test");

        assertThat(policy.actionFor(PiiEntity.PERSON).wireName()).isEqualTo("report");
        assertThat(policy.actionFor(PiiEntity.LOCATION).wireName()).isEqualTo("redact");
        assertThat(policy.actionFor(PiiEntity.ORGANIZATION)).isEqualTo(policy.defaultAction());
    }
}
