package dev.aimnext.operators.guardrails.pii.recognize;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LuhnValidatorTest {

    @Test
    void acceptsNumbersWithACorrectCheckDigit() {
        assertThat(LuhnValidator.isValid("4111111111111111")).isTrue();
        assertThat(LuhnValidator.isValid("378282246310005")).isTrue();
        assertThat(LuhnValidator.isValid("79927398713")).isTrue();
        assertThat(LuhnValidator.isValid("0")).isTrue();
    }

    @Test
    void rejectsAWrongCheckDigitAndTransposedDigits() {
        assertThat(LuhnValidator.isValid("4111111111111112")).isFalse();
        assertThat(LuhnValidator.isValid("79927398710")).isFalse();
        // Swapping two adjacent digits (other than 0 and 9) changes the sum.
        assertThat(LuhnValidator.isValid("4111111111111111".replace("41", "14"))).isFalse();
    }

    @Test
    void rejectsEmptyInputAndNonDigits() {
        assertThat(LuhnValidator.isValid("")).isFalse();
        assertThat(LuhnValidator.isValid("4111 1111 1111 1111")).isFalse();
        assertThat(LuhnValidator.isValid("41111111111a1111")).isFalse();
    }
}
