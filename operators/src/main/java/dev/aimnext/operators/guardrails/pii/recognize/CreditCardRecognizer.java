package dev.aimnext.operators.guardrails.pii.recognize;

import dev.aimnext.operators.guardrails.pii.PiiEntity;
import dev.aimnext.operators.guardrails.pii.PiiSpan;

import com.google.re2j.Matcher;

/**
 * CREDIT_CARD: 13 to 19 digits, plain or in the usual 4-4-4-4, 4-6-5 and 4-6-4 groupings, with a
 * known issuer prefix and a valid Luhn check digit. A Luhn failure drops the match, as Presidio does.
 *
 * <p>Maestro cards may also have only 12 digits. Twelve digits are common in other identifiers, so
 * a 12-digit number needs a Maestro prefix (50, 56-69), a valid Luhn digit and a context word such
 * as "card" before it: its score is below the default threshold on its own.
 */
public final class CreditCardRecognizer extends WindowedPatternRecognizer {

    static final double SCORE = 1.0;
    static final double SCORE_SHORT_MAESTRO = 0.4;

    public CreditCardRecognizer() {
        super(
                "\\d{4}[ \\-]\\d{4}[ \\-]\\d{4}(?:[ \\-]\\d{4}(?:[ \\-]\\d{1,3})?)?"
                        + "|\\d{4}[ \\-]\\d{6}[ \\-]\\d{4,5}"
                        + "|\\d{12,19}");
    }

    @Override
    void windows(String text, CandidateWindows.Sink sink) {
        CandidateWindows.numericRuns(text, 12, sink);
    }

    @Override
    PiiSpan accept(String text, int offset, Matcher m) {
        int start = offset + m.start();
        int end = offset + m.end();
        if (Boundaries.isAlnumAt(text, start - 1) || Boundaries.isAlnumAt(text, end)) {
            return null;
        }
        // "1234-5678-..." glued to more digits by a separator is a longer identifier, not a card.
        if (isSeparatorThenDigit(text, end) || isDigitThenSeparator(text, start)) {
            return null;
        }
        String digits = Boundaries.digits(text, start, end);
        char issuer = digits.charAt(0);
        if (issuer < '1' || issuer > '6' || !LuhnValidator.isValid(digits)) {
            return null;
        }
        if (digits.length() == 12) {
            return isMaestroPrefix(digits)
                    ? new PiiSpan(PiiEntity.CREDIT_CARD, start, end, SCORE_SHORT_MAESTRO)
                    : null;
        }
        return new PiiSpan(PiiEntity.CREDIT_CARD, start, end, SCORE);
    }

    /** Maestro's issuer ranges: 50 and 56 to 69. */
    static boolean isMaestroPrefix(String digits) {
        int prefix = (digits.charAt(0) - '0') * 10 + (digits.charAt(1) - '0');
        return prefix == 50 || (prefix >= 56 && prefix <= 69);
    }

    private static boolean isSeparatorThenDigit(String text, int end) {
        char c = Boundaries.charAt(text, end);
        return (c == '-' || c == '.') && Boundaries.isDigitAt(text, end + 1);
    }

    private static boolean isDigitThenSeparator(String text, int start) {
        char c = Boundaries.charAt(text, start - 1);
        return (c == '-' || c == '.') && Boundaries.isDigitAt(text, start - 2);
    }
}
