package dev.aimnext.operators.guardrails.pii.recognize;

import dev.aimnext.operators.guardrails.pii.PiiEntity;
import dev.aimnext.operators.guardrails.pii.PiiSpan;

import com.google.re2j.Matcher;

/**
 * EMAIL_ADDRESS: a local part, '@', and a dotted domain ending in an alphabetic TLD. The RFC 5321
 * length limits (64 for the local part, 63 per label, 24 for a TLD) are checked on the match, not
 * written as bounded repeats: RE2/J simulates an NFA, and a repeat of up to 64 characters costs 64
 * states at every character it reads.
 */
public final class EmailRecognizer extends WindowedPatternRecognizer {

    static final double SCORE = 0.9;

    private static final int MAX_LOCAL_PART = 64;
    private static final int MAX_LABEL = 63;
    private static final int MAX_TLD = 24;

    public EmailRecognizer() {
        super("[A-Za-z0-9._%+\\-]+@(?:[A-Za-z0-9](?:[A-Za-z0-9\\-]*[A-Za-z0-9])?\\.)+[A-Za-z]{2,}");
    }

    @Override
    void windows(String text, CandidateWindows.Sink sink) {
        CandidateWindows.aroundAt(text, sink);
    }

    @Override
    PiiSpan accept(String text, int offset, Matcher m) {
        int start = offset + m.start();
        int end = offset + m.end();
        int at = text.indexOf('@', start);
        // A longer local part keeps only its last 64 characters, as a bounded repeat would.
        start = Math.max(start, at - MAX_LOCAL_PART);
        if (!domainWithinLimits(text, at + 1, end)) {
            return null;
        }
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

    /** Every label of {@code text[from, to)} within 63 characters, and the last within 24. */
    private static boolean domainWithinLimits(String text, int from, int to) {
        int labelStart = from;
        for (int i = from; i <= to; i++) {
            if (i == to || text.charAt(i) == '.') {
                int length = i - labelStart;
                if (length > (i == to ? MAX_TLD : MAX_LABEL)) {
                    return false;
                }
                labelStart = i + 1;
            }
        }
        return true;
    }
}
