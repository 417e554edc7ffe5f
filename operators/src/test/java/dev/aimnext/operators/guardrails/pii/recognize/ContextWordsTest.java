package dev.aimnext.operators.guardrails.pii.recognize;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.util.Set;

class ContextWordsTest {

    @Test
    void readsWholeWordsBeforeAPositionNearestFirstInLowerCase() {
        String text = "My Social-Security number: 536-90-4399";

        assertThat(ContextWords.before(text, text.indexOf("536"), 5))
                .containsExactly("number", "security", "social", "my");
    }

    @Test
    void stopsAfterTheRequestedNumberOfWords() {
        String text = "one two three four 42";

        assertThat(ContextWords.before(text, text.indexOf("42"), 2)).containsExactly("four", "three");
        assertThat(ContextWords.before(text, text.indexOf("42"), 0)).isEmpty();
    }

    @Test
    void aWordThatMerelyContainsAContextWordDoesNotCount() {
        // Presidio #1063: the licence context word "lic" matched inside "public".
        Set<String> vocabulary = Set.of("lic");
        String publicText = "our public library card 12345";
        String licText = "LIC: 12345";

        assertThat(ContextWords.anyBefore(publicText, publicText.indexOf("12345"), 5, vocabulary))
                .isFalse();
        assertThat(ContextWords.anyBefore(licText, licText.indexOf("12345"), 5, vocabulary)).isTrue();
    }

    @Test
    void onlyLooksAtTheWindowOfWordsBeforeThePosition() {
        String text = "phone is not mentioned near this 555";

        assertThat(ContextWords.anyBefore(text, text.indexOf("555"), 3, Set.of("phone"))).isFalse();
        assertThat(ContextWords.anyBefore(text, text.indexOf("555"), 6, Set.of("phone"))).isTrue();
        // Words after the position never count.
        assertThat(ContextWords.anyBefore(text, text.indexOf("not"), 5, Set.of("near"))).isFalse();
    }

    @Test
    void looksBackABoundedNumberOfCharacters() {
        String text = "ssn " + "-".repeat(200) + " 536-90-4399";

        assertThat(ContextWords.before(text, text.indexOf("536"), 5)).isEmpty();
    }

    @Test
    void handlesTheStartOfTheText() {
        assertThat(ContextWords.before("42", 0, 5)).isEmpty();
        assertThat(ContextWords.before("tel 42", 4, 5)).containsExactly("tel");
    }
}
