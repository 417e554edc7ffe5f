package dev.aimnext.operators.guardrails.pii.recognize;

import static dev.aimnext.operators.guardrails.pii.recognize.Spans.at;
import static dev.aimnext.operators.guardrails.pii.recognize.Spans.find;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aimnext.operators.guardrails.pii.PiiEntity;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CreditCardRecognizerTest {

    private final CreditCardRecognizer recognizer = new CreditCardRecognizer();

    @ParameterizedTest
    @ValueSource(
            strings = {
                "4111 1111 1111 1111", // Visa, grouped by four
                "5500-0000-0000-0004", // Mastercard, dashes
                "4012888888881881", // Visa, plain
                "3782 822463 10005", // Amex, 4-6-5
                "3056 930902 5904", // Diners, 4-6-4
                "6011 0009 9013 9424 009" // 19 digits, 4-4-4-4-3
            })
    void findsLuhnValidCardsInTheUsualGroupings(String card) {
        String text = "Charge my card " + card + " for the annual plan.";

        assertThat(find(recognizer, text))
                .containsExactly(at(text, card, PiiEntity.CREDIT_CARD, CreditCardRecognizer.SCORE));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "4111 1111 1111 1112",
                "4111-1111-1111-1113",
                "4012888888881882",
                "5500 0000 0000 0005",
                "3782 822463 10006"
            })
    void rejectsLuhnInvalidNumbers(String card) {
        assertThat(find(recognizer, "card " + card + " please")).isEmpty();
    }

    @Test
    void rejectsLuhnValidNumbersWithoutAnIssuerPrefix() {
        // 7000000000000005 passes Luhn, but no card network issues numbers starting with 7.
        assertThat(LuhnValidator.isValid("7000000000000005")).isTrue();
        assertThat(find(recognizer, "number 7000000000000005")).isEmpty();
    }

    @Test
    void rejectsCardsThatArePartOfALongerNumber() {
        assertThat(find(recognizer, "id 94111111111111111")).isEmpty();
        assertThat(find(recognizer, "ref 4111-1111-1111-1111-2222")).isEmpty();
        assertThat(find(recognizer, "ref 12-4111-1111-1111-1111")).isEmpty();
        assertThat(find(recognizer, "x4111111111111111")).isEmpty();
        assertThat(find(recognizer, "12345678901234567890123")).isEmpty();
    }

    @Test
    void findsTwoCardsInOneText() {
        String text = "old 4111 1111 1111 1111, new 5500 0000 0000 0004";

        assertThat(find(recognizer, text))
                .containsExactly(
                        at(text, "4111 1111 1111 1111", PiiEntity.CREDIT_CARD, 1.0),
                        at(text, "5500 0000 0000 0004", PiiEntity.CREDIT_CARD, 1.0));
    }

    @Test
    void twelveDigitMaestroNumbersNeedContext() {
        String text = "card 501864667909 is lost";

        // The score is below the default threshold: only a context word lets it through.
        assertThat(find(recognizer, text))
                .containsExactly(at(text, "501864667909", PiiEntity.CREDIT_CARD,
                        CreditCardRecognizer.SCORE_SHORT_MAESTRO));
        assertThat(CreditCardRecognizer.SCORE_SHORT_MAESTRO).isLessThan(0.5);
    }

    @Test
    void twelveDigitNumbersOutsideMaestroRangesAreNotCards() {
        // Both pass Luhn; 41 is a Visa prefix, and Visa has no 12-digit numbers.
        assertThat(LuhnValidator.isValid("411111111117")).isTrue();
        assertThat(find(recognizer, "card 411111111117")).isEmpty();
        // A 12-digit number that fails Luhn is not a Maestro card either.
        assertThat(find(recognizer, "card 501864667908")).isEmpty();
    }

    @Test
    void maestroPrefixesAre50And56To69() {
        assertThat(CreditCardRecognizer.isMaestroPrefix("501800000000")).isTrue();
        assertThat(CreditCardRecognizer.isMaestroPrefix("560000000000")).isTrue();
        assertThat(CreditCardRecognizer.isMaestroPrefix("690000000000")).isTrue();
        assertThat(CreditCardRecognizer.isMaestroPrefix("510000000000")).isFalse();
        assertThat(CreditCardRecognizer.isMaestroPrefix("550000000000")).isFalse();
        assertThat(CreditCardRecognizer.isMaestroPrefix("411111111111")).isFalse();
    }
}
