package dev.aimnext.operators.guardrails.pii.recognize;

import dev.aimnext.operators.guardrails.pii.PiiEntity;
import dev.aimnext.operators.guardrails.pii.PiiSpan;

import com.google.re2j.Matcher;

/**
 * IBAN_CODE: country code, check digits and BBAN, compact or in groups of four, with the country's
 * length and the mod-97 check. The pattern may run into a following capitalised word, so the match
 * is cut to exactly the country's length before validation. The printed form is upper case; an
 * IBAN typed wholly in lower case is accepted too, but not one in mixed case (which is a word).
 */
public final class IbanRecognizer extends WindowedPatternRecognizer {

    private static final int MAX_WINDOW = 45;

    public IbanRecognizer() {
        super("[A-Z]{2}\\d{2}(?: ?[A-Z0-9]){11,30}|[a-z]{2}\\d{2}(?: ?[a-z0-9]){11,30}");
    }

    @Override
    void windows(String text, CandidateWindows.Sink sink) {
        CandidateWindows.ibanStarts(text, MAX_WINDOW, sink);
    }

    @Override
    PiiSpan accept(String text, int offset, Matcher m) {
        int start = offset + m.start();
        int matchEnd = offset + m.end();
        StringBuilder compact = new StringBuilder(34);
        for (int i = start; i < matchEnd; i++) {
            char c = text.charAt(i);
            if (c != ' ') {
                compact.append(Character.toUpperCase(c));
                if (compact.length() >= 15 && IbanValidator.isValid(compact.toString())) {
                    int end = i + 1;
                    if (!Boundaries.isAlnumAt(text, end)
                            && !(Boundaries.charAt(text, end) == ' '
                                    && Boundaries.isDigitAt(text, end + 1))) {
                        return new PiiSpan(PiiEntity.IBAN_CODE, start, end, 1.0);
                    }
                }
            }
        }
        return null;
    }
}
