package dev.aimnext.operators.guardrails.pii.recognize;

import static dev.aimnext.operators.guardrails.pii.recognize.Spans.at;
import static dev.aimnext.operators.guardrails.pii.recognize.Spans.find;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aimnext.operators.guardrails.pii.PiiEntity;
import dev.aimnext.operators.guardrails.pii.PiiSpan;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

class PhoneNumberRecognizerTest {

    private final PhoneNumberRecognizer recognizer =
            new PhoneNumberRecognizer(List.of("US", "GB", "DE", "FR", "IN", "CA", "AU"));

    private PiiSpan phone(String text, String value, double score) {
        return at(text, value, PiiEntity.PHONE_NUMBER, score);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "+44 20 7946 0958", // international, grouped as in the UK
                "020 7946 0958", // UK national
                "(650) 253-0000", // US
                "+1 650-253-0000",
                "030 1234567", // Germany
                "01 42 68 53 00", // France
                "+33 1 42 68 53 00",
                "001 650 253 0000" // US number dialled with the international prefix 00
            })
    void findsValidNumbersWrittenTheNationalWay(String number) {
        String text = "Call me on " + number + " tomorrow.";

        assertThat(find(recognizer, text))
                .containsExactly(phone(text, number, PhoneNumberRecognizer.SCORE_FORMATTED));
    }

    @Test
    void aPlainDigitRunIsWeakerEvidenceThanAFormattedNumber() {
        String text = "Call 6502530000 now";

        assertThat(find(recognizer, text))
                .containsExactly(phone(text, "6502530000", PhoneNumberRecognizer.SCORE_PLAIN));
    }

    @Test
    void includesAnExtension() {
        String x = "Call +1 650-253-0000 x123 now";
        String ext = "Call 650-253-0000 ext. 42 now";

        assertThat(find(recognizer, x))
                .containsExactly(phone(x, "+1 650-253-0000 x123", PhoneNumberRecognizer.SCORE_FORMATTED));
        assertThat(find(recognizer, ext))
                .containsExactly(phone(ext, "650-253-0000 ext. 42", PhoneNumberRecognizer.SCORE_FORMATTED));
    }

    @Test
    void aValidNumberGroupedUnlikeItsCountryScoresLower() {
        // 853371694 is a valid French and German number, but neither country writes it 3-2-4,
        // which is how a US SSN is written; the lower score lets an SSN span win the overlap.
        String text = "value 853-37-1694";

        assertThat(find(recognizer, text))
                .containsExactly(phone(text, "853-37-1694", PhoneNumberRecognizer.SCORE_MISGROUPED));
        assertThat(PhoneNumberRecognizer.SCORE_MISGROUPED)
                .isLessThan(UsSsnRecognizer.SCORE_DASHED)
                .isGreaterThanOrEqualTo(0.5);
    }

    @Test
    void aFormattedNumberThatIsOnlyPossibleNeedsContext() {
        // +44 7700 208815 has the shape of a UK mobile but is not in an assigned range.
        String text = "Fax +447700 208 815";

        assertThat(find(recognizer, text))
                .containsExactly(phone(text, "+447700 208 815", PhoneNumberRecognizer.SCORE_POSSIBLE));
        assertThat(PhoneNumberRecognizer.SCORE_POSSIBLE).isLessThan(0.5);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "It shipped on 2024-03-15.",
                "It shipped on 15/03/2024.",
                "It shipped on 15.03.2024.",
                "It shipped on 2024/03/15.",
                "Logged at 2000-04-16 11:34:35 by the job",
                "Order #4512339870 shipped",
                "Order 4512339870 shipped",
                "Your order number is 020 7946 0958",
                "Invoice no. 020 7946 0958",
                "My social security number is 853-37-1694",
                "Card number 630427373398 is lost",
                "Apt. 675 62314 Mellemvej 32",
                "card 4111 1111 1111 1111",
                "about 12345 people"
            })
    void rejectsCommonPhoneLookAlikes(String text) {
        assertThat(find(recognizer, text)).isEmpty();
    }

    @Test
    void theNearestDecisiveWordWins() {
        String callFirst = "Order desk: call 020 7946 0958";
        String orderFirst = "Call about order 020 7946 0958";

        assertThat(find(recognizer, callFirst))
                .containsExactly(phone(callFirst, "020 7946 0958", PhoneNumberRecognizer.SCORE_FORMATTED));
        assertThat(find(recognizer, orderFirst)).isEmpty();
    }

    @Test
    void rejectsDigitsGluedToLettersOrOtherDigits() {
        assertThat(find(recognizer, "build a6502530000")).isEmpty();
        assertThat(find(recognizer, "hash 6502530000abc")).isEmpty();
        assertThat(find(recognizer, "ratio 12:6502530000")).isEmpty();
    }

    @Test
    void findsSeveralNumbersInOneText() {
        String text = "Desk: +44 20 7946 0958, mobile: (650) 253-0000.";

        assertThat(find(recognizer, text))
                .containsExactly(
                        phone(text, "+44 20 7946 0958", PhoneNumberRecognizer.SCORE_FORMATTED),
                        phone(text, "(650) 253-0000", PhoneNumberRecognizer.SCORE_FORMATTED));
    }

    @Test
    void numbersFromRegionsThatAreNotConfiguredNeedAPlusSign() {
        PhoneNumberRecognizer usOnly = new PhoneNumberRecognizer(List.of("US"));
        String national = "Call 020 7946 0958";
        String international = "Call +44 20 7946 0958";

        assertThat(find(usOnly, national)).isEmpty();
        assertThat(find(usOnly, international))
                .containsExactly(phone(international, "+44 20 7946 0958", PhoneNumberRecognizer.SCORE_FORMATTED));
    }

    @Test
    void groupingFollowsLibphonenumbersStrictGroupingRule() throws NumberParseException {
        Phonenumber.PhoneNumber berlin =
                PhoneNumberUtil.getInstance().parseAndKeepRawInput("030 1234567", "DE");

        assertThat(PhoneNumberRecognizer.groupingAgrees("030 1234567", berlin)).isTrue();
        assertThat(PhoneNumberRecognizer.groupingAgrees("030-1234567", berlin)).isTrue();
        // Groups of the national format (030 | 1234567) may be run together, but not split.
        assertThat(PhoneNumberRecognizer.groupingAgrees("0301234567", berlin)).isTrue();
        assertThat(PhoneNumberRecognizer.groupingAgrees("030 123 4567", berlin)).isFalse();
        assertThat(PhoneNumberRecognizer.groupingAgrees("03 01234567", berlin)).isFalse();
        // German numbers are written with the trunk prefix 0.
        assertThat(PhoneNumberRecognizer.groupingAgrees("30 1234567", berlin)).isFalse();
    }

    @Test
    void extensionEndStopsAtTheExtensionDigits() {
        String text = "555-0100 x42, then";
        int end = "555-0100".length();

        assertThat(PhoneNumberRecognizer.extensionEnd(text, end)).isEqualTo(end + 4);
        assertThat(PhoneNumberRecognizer.extensionEnd("555-0100 extra", end)).isEqualTo(end);
        assertThat(PhoneNumberRecognizer.extensionEnd("555-0100 x", end)).isEqualTo(end);
    }

    @Test
    void rejectsUnknownRegions() {
        assertThatThrownBy(() -> new PhoneNumberRecognizer(List.of("US", "XX")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown phone region 'XX'");
    }
}
