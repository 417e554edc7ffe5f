package dev.aimnext.operators.guardrails.pii.recognize;

import static dev.aimnext.operators.guardrails.pii.recognize.Spans.at;
import static dev.aimnext.operators.guardrails.pii.recognize.Spans.find;
import static dev.aimnext.operators.guardrails.pii.recognize.Spans.values;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aimnext.operators.guardrails.pii.PiiEntity;
import dev.aimnext.operators.guardrails.pii.PiiSpan;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

class EmailRecognizerTest {

    private final EmailRecognizer recognizer = new EmailRecognizer();

    @Test
    void findsAnAddressWithExactOffsets() {
        String text = "Mail jane.doe@example.com today";

        assertThat(find(recognizer, text))
                .containsExactly(new PiiSpan(PiiEntity.EMAIL_ADDRESS, 5, 25, EmailRecognizer.SCORE));
    }

    @Test
    void leavesTheSentenceFinalDotOut() {
        String text = "Write to ops@corp.example.org.";

        assertThat(find(recognizer, text))
                .containsExactly(at(text, "ops@corp.example.org", PiiEntity.EMAIL_ADDRESS,
                        EmailRecognizer.SCORE));
    }

    @Test
    void acceptsPlusTagsSubdomainsAndDigits() {
        String text = "cc: first.last+tag@mail.example.co.uk, bob_99@x-ray.io";

        List<PiiSpan> spans = find(recognizer, text);

        assertThat(values(text, spans))
                .containsExactly("first.last+tag@mail.example.co.uk", "bob_99@x-ray.io");
        assertThat(spans).allSatisfy(span -> assertThat(span.entity()).isEqualTo(PiiEntity.EMAIL_ADDRESS));
    }

    @Test
    void trimsLeadingDotsOfTheLocalPart() {
        String text = "see ..john@example.com";

        assertThat(find(recognizer, text))
                .containsExactly(at(text, "john@example.com", PiiEntity.EMAIL_ADDRESS,
                        EmailRecognizer.SCORE));
    }

    @Test
    void findsAnAddressAfterAColonOrInBrackets() {
        String text = "mailto:anna@example.org <li@example.net>";

        assertThat(values(text, find(recognizer, text)))
                .containsExactly("anna@example.org", "li@example.net");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "ping @channel about it",
                "user@localhost",
                "name@123.456",
                "a lone @ sign",
                "dev@.example.com",
                "me@example.c",
                "price: 3 @ 4.50 each"
            })
    void rejectsThingsThatAreNotAddresses(String text) {
        assertThat(find(recognizer, text)).isEmpty();
    }
}
