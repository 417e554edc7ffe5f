package dev.aimnext.operators.guardrails.pii.recognize;

import static dev.aimnext.operators.guardrails.pii.recognize.Spans.at;
import static dev.aimnext.operators.guardrails.pii.recognize.Spans.find;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aimnext.operators.guardrails.pii.PiiEntity;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IbanRecognizerTest {

    private final IbanRecognizer recognizer = new IbanRecognizer();

    @ParameterizedTest
    @ValueSource(
            strings = {
                "DE89 3704 0044 0532 0130 00",
                "DE89370400440532013000",
                "GB82 WEST 1234 5698 7654 32",
                "GB82WEST12345698765432",
                "FR14 2004 1010 0505 0001 3M02 606",
                "NO93 8601 1117 947"
            })
    void findsValidIbansCompactOrGroupedByFour(String iban) {
        String text = "Send the refund to IBAN " + iban + " please.";

        assertThat(find(recognizer, text)).containsExactly(at(text, iban, PiiEntity.IBAN_CODE, 1.0));
    }

    @Test
    void stopsAtTheCountrysLengthBeforeAFollowingCapitalisedWord() {
        String text = "IBAN: GB82 WEST 1234 5698 7654 32 ABN Bank";

        assertThat(find(recognizer, text))
                .containsExactly(at(text, "GB82 WEST 1234 5698 7654 32", PiiEntity.IBAN_CODE, 1.0));
    }

    @Test
    void acceptsAnIbanTypedInLowerCaseButNotInMixedCase() {
        String lower = "my iban is gb82west12345698765432";

        assertThat(find(recognizer, lower))
                .containsExactly(at(lower, "gb82west12345698765432", PiiEntity.IBAN_CODE, 1.0));
        assertThat(find(recognizer, "my iban is Gb82West12345698765432")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "DE88 3704 0044 0532 0130 00", // check digits wrong
                "DE89 3704 0044 0532 0130 01", // one BBAN digit changed
                "GB82 WEST 1234 5698 7654 33",
                "DE89 3704 0044 0532 0130 0", // one digit short of Germany's 22
                "ZZ89 3704 0044 0532 0130 00", // no such country
                "XDE89 3704 0044 0532 0130 00", // glued to a letter
                "DE89 3704 0044 0532 0130 00 12" // runs on into more digit groups
            })
    void rejectsInvalidChecksumsLengthsAndCountries(String text) {
        assertThat(find(recognizer, "IBAN " + text + " ok")).isEmpty();
    }
}
