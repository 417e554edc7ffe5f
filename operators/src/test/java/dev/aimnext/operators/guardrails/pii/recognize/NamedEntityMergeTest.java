package dev.aimnext.operators.guardrails.pii.recognize;

import dev.aimnext.operators.guardrails.engine.token.EntitySpan;
import dev.aimnext.operators.guardrails.pii.PiiEntity;
import dev.aimnext.operators.guardrails.pii.PiiSpan;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class NamedEntityMergeTest {

    private static List<String> shown(String text, List<PiiSpan> spans) {
        List<String> out = new ArrayList<>();
        spans.forEach(s -> out.add(s.entity() + ":" + text.substring(s.start(), s.end())));
        return out;
    }

    @Test
    void patternSpansWinTheCharactersTheyCoverWhateverTheScores() {
        String text = "mail john.smith@example.com now";
        PiiSpan email = Spans.at(text, "john.smith@example.com", PiiEntity.EMAIL_ADDRESS, 0.6);
        PiiSpan person = Spans.at(text, "john.smith", PiiEntity.PERSON, 0.99);

        assertThat(shown(text, NamedEntityMerge.merge(text, List.of(email), List.of(person))))
                .containsExactly("EMAIL_ADDRESS:john.smith@example.com");
    }

    @Test
    void anEntityAroundAPatternKeepsItsOtherParts() {
        String text = "Send it to 12 Harbour Road, tel +44 20 7946 0958, Bristol please";
        PiiSpan phone = Spans.at(text, "+44 20 7946 0958", PiiEntity.PHONE_NUMBER, 0.75);
        PiiSpan address = Spans.at(text, "12 Harbour Road, tel +44 20 7946 0958, Bristol", PiiEntity.ADDRESS, 0.9);

        List<PiiSpan> merged = NamedEntityMerge.merge(text, List.of(phone), List.of(address));

        assertThat(shown(text, merged)).containsExactly(
                "ADDRESS:12 Harbour Road, tel", "PHONE_NUMBER:+44 20 7946 0958", "ADDRESS:Bristol");
        assertThat(merged.get(0).score()).isEqualTo(0.9);
    }

    @Test
    void entitiesApartFromPatternsAreKeptAsTheyAre() {
        String text = "Anna from Contoso Ltd. wrote to a@b.io";
        PiiSpan email = Spans.at(text, "a@b.io", PiiEntity.EMAIL_ADDRESS, 1.0);
        PiiSpan org = Spans.at(text, "Contoso Ltd.", PiiEntity.ORGANIZATION, 0.8);
        PiiSpan person = Spans.at(text, "Anna", PiiEntity.PERSON, 0.9);

        assertThat(shown(text, NamedEntityMerge.merge(text, List.of(email), List.of(person, org))))
                .containsExactly("PERSON:Anna", "ORGANIZATION:Contoso Ltd.", "EMAIL_ADDRESS:a@b.io");
    }

    @Test
    void packTypeNamesMapToPiiEntitiesAndUnknownTypesAreDropped() {
        List<PiiSpan> spans = NamedEntityRecognizer.toPii(List.of(
                new EntitySpan("PER", 0, 4, 0.9), new EntitySpan("GPE", 5, 9, 0.8),
                new EntitySpan("ORG", 10, 12, 0.7), new EntitySpan("STREET_ADDRESS", 13, 20, 0.6),
                new EntitySpan("MISC", 21, 25, 0.9)));

        assertThat(spans).extracting(PiiSpan::entity).containsExactly(
                PiiEntity.PERSON, PiiEntity.LOCATION, PiiEntity.ORGANIZATION, PiiEntity.ADDRESS);
    }
}
