package dev.aimnext.operators.guardrails.pii.recognize;

import dev.aimnext.operators.guardrails.pii.PiiEntity;
import dev.aimnext.operators.guardrails.pii.PiiSpan;

import com.google.re2j.Matcher;

/** EMAIL_ADDRESS: a local part, '@', and a dotted domain ending in an alphabetic TLD. */
public final class EmailRecognizer extends WindowedPatternRecognizer {

    static final double SCORE = 0.9;

    public EmailRecognizer() {
        super(
                "[A-Za-z0-9._%+\\-]{1,64}@(?:[A-Za-z0-9](?:[A-Za-z0-9\\-]{0,61}[A-Za-z0-9])?\\.)+"
                        + "[A-Za-z]{2,24}");
    }

    @Override
    void windows(String text, CandidateWindows.Sink sink) {
        CandidateWindows.aroundAt(text, sink);
    }

    @Override
    PiiSpan accept(String text, int offset, Matcher m) {
        int start = offset + m.start();
        int end = offset + m.end();
        // A sentence-final dot belongs to the sentence, not the address; the pattern already ends
        // at a TLD letter, so only leading dots need trimming.
        while (start < end && text.charAt(start) == '.') {
            start++;
        }
        if (text.charAt(start) == '@' || Boundaries.isAlnumAt(text, end)) {
            return null;
        }
        return new PiiSpan(PiiEntity.EMAIL_ADDRESS, start, end, SCORE);
    }
}
