package dev.aimnext.operators.guardrails.pii.recognize;

import dev.aimnext.operators.guardrails.pii.PiiEntity;
import dev.aimnext.operators.guardrails.pii.PiiSpan;

import com.google.re2j.Matcher;

/**
 * US_SSN: AAA-GG-SSSS with the Social Security Administration's validity rules: the area is never
 * 000, 666 or 900-999, the group never 00 and the serial never 0000. Separators must agree. Without
 * separators nine digits are weak evidence, so the base score only passes with context words.
 */
public final class UsSsnRecognizer extends WindowedPatternRecognizer {

    static final double SCORE_DASHED = 0.6;
    static final double SCORE_OTHER_SEPARATOR = 0.5;
    static final double SCORE_PLAIN = 0.3;

    public UsSsnRecognizer() {
        super("(\\d{3})([ .\\-]?)(\\d{2})([ .\\-]?)(\\d{4})");
    }

    @Override
    void windows(String text, CandidateWindows.Sink sink) {
        CandidateWindows.numericRuns(
                text,
                9,
                (from, to) -> {
                    if (hasSsnShape(text, from, to)) {
                        sink.window(from, to);
                    }
                });
    }

    /**
     * Whether {@code text[from, to)} has digit groups that {@link #accept} could take: one group of
     * exactly nine digits, or groups of three, two and four digits joined by single separators.
     * Card and phone numbers rarely do, so most windows skip the pattern.
     */
    static boolean hasSsnShape(String text, int from, int to) {
        int previous2 = -1; // length of the group two back, or -1 when not joined by one separator
        int previous1 = -1;
        int i = from;
        while (i < to) {
            if (!CandidateWindows.isAsciiDigit(text.charAt(i))) {
                i++;
                continue;
            }
            int start = i;
            while (i < to && CandidateWindows.isAsciiDigit(text.charAt(i))) {
                i++;
            }
            int length = i - start;
            boolean joined = start - from >= 2
                    && isSeparator(text.charAt(start - 1))
                    && CandidateWindows.isAsciiDigit(text.charAt(start - 2));
            if (!joined) {
                previous2 = -1;
                previous1 = -1;
            }
            if (length == 9 || (previous2 == 3 && previous1 == 2 && length == 4)) {
                return true;
            }
            previous2 = previous1;
            previous1 = length;
        }
        return false;
    }

    private static boolean isSeparator(char c) {
        return c == ' ' || c == '.' || c == '-';
    }

    @Override
    PiiSpan accept(String text, int offset, Matcher m) {
        int start = offset + m.start();
        int end = offset + m.end();
        if (!m.group(2).equals(m.group(4))) {
            return null;
        }
        if (Boundaries.isAlnumAt(text, start - 1) || Boundaries.isAlnumAt(text, end)) {
            return null;
        }
        char before = Boundaries.charAt(text, start - 1);
        char after = Boundaries.charAt(text, end);
        if (((before == '-' || before == '.') && Boundaries.isDigitAt(text, start - 2))
                || ((after == '-' || after == '.') && Boundaries.isDigitAt(text, end + 1))) {
            return null;
        }
        if (!isValid(m.group(1), m.group(3), m.group(5))) {
            return null;
        }
        String separator = m.group(2);
        double score =
                separator.isEmpty()
                        ? SCORE_PLAIN
                        : separator.equals("-") ? SCORE_DASHED : SCORE_OTHER_SEPARATOR;
        return new PiiSpan(PiiEntity.US_SSN, start, end, score);
    }

    /** The SSA's structural rules, plus numbers that were published and so are never real. */
    public static boolean isValid(String area, String group, String serial) {
        if (area.equals("000") || area.equals("666") || area.charAt(0) == '9') {
            return false;
        }
        if (group.equals("00") || serial.equals("0000")) {
            return false;
        }
        String all = area + group + serial;
        // 078-05-1120 was printed on wallet inserts; 123-45-6789 is the usual placeholder.
        if (all.equals("078051120") || all.equals("123456789")) {
            return false;
        }
        return !all.chars().allMatch(c -> c == all.charAt(0));
    }
}
