package dev.aimnext.operators.guardrails.pii.recognize;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IbanValidatorTest {

    @Test
    void acceptsValidIbans() {
        assertThat(IbanValidator.isValid("DE89370400440532013000")).isTrue();
        assertThat(IbanValidator.isValid("GB82WEST12345698765432")).isTrue();
        assertThat(IbanValidator.isValid("NL91ABNA0417164300")).isTrue();
        assertThat(IbanValidator.isValid("NO9386011117947")).isTrue();
    }

    @Test
    void rejectsAChecksumThatIsNotOneModulo97() {
        assertThat(IbanValidator.isValid("DE88370400440532013000")).isFalse();
        assertThat(IbanValidator.isValid("GB82WEST12345698765433")).isFalse();
        // Two adjacent digits swapped: mod 97 catches every such transposition.
        assertThat(IbanValidator.isValid("DE89370400440523013000")).isFalse();
    }

    @Test
    void rejectsWrongLengthsUnknownCountriesAndStrayCharacters() {
        assertThat(IbanValidator.isValid("DE8937040044053201300")).isFalse();
        assertThat(IbanValidator.isValid("DE893704004405320130000")).isFalse();
        assertThat(IbanValidator.isValid("ZZ89370400440532013000")).isFalse();
        assertThat(IbanValidator.isValid("DE89-37040044053201300")).isFalse();
        assertThat(IbanValidator.isValid("de89370400440532013000")).isFalse();
        assertThat(IbanValidator.isValid("DE89")).isFalse();
    }
}
