package dev.aimnext.operators.guardrails.pii.recognize;

import static dev.aimnext.operators.guardrails.pii.recognize.Spans.at;
import static dev.aimnext.operators.guardrails.pii.recognize.Spans.find;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aimnext.operators.guardrails.pii.PiiEntity;
import dev.aimnext.operators.guardrails.pii.PiiSpan;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UsSsnRecognizerTest {

    private final UsSsnRecognizer recognizer = new UsSsnRecognizer();

    @Test
    void aDashedSsnPassesTheDefaultThresholdOnItsOwn() {
        String text = "My SSN is 536-90-4399, thanks";

        assertThat(find(recognizer, text))
                .containsExactly(new PiiSpan(
                        PiiEntity.US_SSN, 10, 21, UsSsnRecognizer.SCORE_DASHED));
        assertThat(UsSsnRecognizer.SCORE_DASHED).isGreaterThanOrEqualTo(0.5);
    }

    @Test
    void otherSeparatorsScoreLowerAndPlainDigitsNeedContext() {
        String spaces = "ssn 536 90 4399";
        String dots = "ssn 536.90.4399";
        String plain = "ssn 536904399";

        assertThat(find(recognizer, spaces))
                .containsExactly(at(spaces, "536 90 4399", PiiEntity.US_SSN,
                        UsSsnRecognizer.SCORE_OTHER_SEPARATOR));
        assertThat(find(recognizer, dots))
                .containsExactly(at(dots, "536.90.4399", PiiEntity.US_SSN,
                        UsSsnRecognizer.SCORE_OTHER_SEPARATOR));
        assertThat(find(recognizer, plain))
                .containsExactly(at(plain, "536904399", PiiEntity.US_SSN, UsSsnRecognizer.SCORE_PLAIN));
        assertThat(UsSsnRecognizer.SCORE_PLAIN + 0.35).isGreaterThanOrEqualTo(0.5);
        assertThat(UsSsnRecognizer.SCORE_PLAIN).isLessThan(0.5);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "000-12-3456", // area 000
                "666-12-3456", // area 666
                "900-12-3456", // area 9xx
                "987-65-4321",
                "999-12-3456",
                "536-00-4399", // group 00
                "536-90-0000", // serial 0000
                "111-11-1111", // one repeated digit
                "123-45-6789", // the usual placeholder
                "078-05-1120" // the wallet-insert number
            })
    void rejectsNumbersTheSsaNeverIssues(String ssn) {
        assertThat(find(recognizer, "SSN " + ssn)).isEmpty();
    }

    @Test
    void isValidAppliesTheSsaRules() {
        assertThat(UsSsnRecognizer.isValid("536", "90", "4399")).isTrue();
        assertThat(UsSsnRecognizer.isValid("001", "01", "0001")).isTrue();
        assertThat(UsSsnRecognizer.isValid("899", "99", "9999")).isTrue();
        assertThat(UsSsnRecognizer.isValid("000", "90", "4399")).isFalse();
        assertThat(UsSsnRecognizer.isValid("666", "90", "4399")).isFalse();
        assertThat(UsSsnRecognizer.isValid("900", "90", "4399")).isFalse();
        assertThat(UsSsnRecognizer.isValid("536", "00", "4399")).isFalse();
        assertThat(UsSsnRecognizer.isValid("536", "90", "0000")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "536-90 4399", // separators disagree
                "536 90-4399",
                "1536-90-4399", // part of a longer number
                "536-90-43991",
                "536-90-4399-12",
                "12-536-90-4399",
                "A536-90-4399",
                "2024-03-15" // a date
            })
    void rejectsMismatchedSeparatorsAndLongerNumbers(String text) {
        assertThat(find(recognizer, "id " + text + " end")).isEmpty();
    }

    @Test
    void theShapePrefilterPassesEverySsnLayoutAndSkipsCardsAndPhones() {
        assertThat(shape("536-90-4399")).isTrue();
        assertThat(shape("536 90 4399")).isTrue();
        assertThat(shape("536904399")).isTrue();
        assertThat(shape("(555) 536-90-4399")).isTrue();
        assertThat(shape("4111 1111 1111 1111")).isFalse();
        assertThat(shape("+44 20 7946 0958")).isFalse();
        assertThat(shape("536-90 / 4399")).isFalse();
        assertThat(shape("5369043991")).isFalse();
    }

    private static boolean shape(String window) {
        return UsSsnRecognizer.hasSsnShape(window, 0, window.length());
    }
}
