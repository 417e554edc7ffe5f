package dev.aimnext.operators.guardrails.pii.recognize;

/**
 * Character checks around a match. RE2 has no look-around, so recognizers test the neighbours of a
 * candidate themselves, e.g. that a card number is not the middle of a longer digit run.
 */
final class Boundaries {

    private Boundaries() {}

    static boolean isAlnumAt(String text, int index) {
        return index >= 0 && index < text.length() && Character.isLetterOrDigit(text.charAt(index));
    }

    static boolean isDigitAt(String text, int index) {
        return index >= 0 && index < text.length() && Character.isDigit(text.charAt(index));
    }

    static char charAt(String text, int index) {
        return index >= 0 && index < text.length() ? text.charAt(index) : '\0';
    }

    /** Digits of {@code text[start, end)}, separators dropped. */
    static String digits(String text, int start, int end) {
        StringBuilder digits = new StringBuilder(end - start);
        for (int i = start; i < end; i++) {
            char c = text.charAt(i);
            if (c >= '0' && c <= '9') {
                digits.append(c);
            }
        }
        return digits.toString();
    }
}
