package dev.aimnext.operators.guardrails.pii.recognize;

/**
 * Cheap character scans that find the few places in a text where an entity could start, so the
 * RE2/J patterns run on short windows instead of the whole text. RE2/J is linear but has no DFA;
 * running a dozen patterns over every kilobyte of prose would dominate the guardrail's latency,
 * while prose has few digit runs, '@' signs or key prefixes.
 */
final class CandidateWindows {

    /** Receives a window {@code [from, to)} of the scanned text. */
    @FunctionalInterface
    interface Sink {
        void window(int from, int to);
    }

    private CandidateWindows() {}

    /**
     * Maximal runs of digits and number punctuation ({@code space ( ) + . - /}) that hold at least
     * {@code minDigits} digits, trimmed to start at a digit, '(' or '+' and end at a digit or ')'.
     * The scan jumps from digit to digit, so prose costs one comparison per character.
     */
    static void numericRuns(String text, int minDigits, Sink sink) {
        int n = text.length();
        int runEnd = 0;
        int i = 0;
        while (i < n) {
            if (!isAsciiDigit(text.charAt(i))) {
                i++;
                continue;
            }
            // A digit: widen to the maximal run of number characters around it.
            int start = i;
            while (start > runEnd && isNumberChar(text.charAt(start - 1))) {
                start--;
            }
            int digits = 0;
            while (i < n && isNumberChar(text.charAt(i))) {
                if (isAsciiDigit(text.charAt(i))) {
                    digits++;
                }
                i++;
            }
            runEnd = i;
            if (digits >= minDigits) {
                int from = start;
                int to = i;
                while (from < to && !isRunStart(text.charAt(from))) {
                    from++;
                }
                while (to > from && !isRunEnd(text.charAt(to - 1))) {
                    to--;
                }
                if (from < to) {
                    sink.window(from, to);
                }
            }
        }
    }

    /** For every '@', the surrounding run of characters that may belong to an address. */
    static void aroundAt(String text, Sink sink) {
        int at = text.indexOf('@');
        int lastEnd = -1;
        while (at >= 0) {
            int from = at;
            while (from > 0 && from > lastEnd && isEmailChar(text.charAt(from - 1))) {
                from--;
            }
            int to = at + 1;
            while (to < text.length() && isEmailChar(text.charAt(to))) {
                to++;
            }
            if (from < at && to > at + 1) {
                sink.window(from, to);
            }
            lastEnd = to;
            at = text.indexOf('@', Math.max(at + 1, to));
        }
    }

    /**
     * Windows starting at two letters of the same case and two digits, where an IBAN may begin
     * (IBANs are printed in capitals, but typed in lower case too).
     */
    static void ibanStarts(String text, int maxLength, Sink sink) {
        int n = text.length();
        for (int i = 0; i + 3 < n; i++) {
            char first = text.charAt(i);
            char second = text.charAt(i + 1);
            if (((isUpper(first) && isUpper(second)) || (isLower(first) && isLower(second)))
                    && isAsciiDigit(text.charAt(i + 2))
                    && isAsciiDigit(text.charAt(i + 3))
                    && !Boundaries.isAlnumAt(text, i - 1)) {
                int to = i + 4;
                while (to < n && to - i < maxLength && (isUpper(text.charAt(to))
                        || isLower(text.charAt(to)) || isAsciiDigit(text.charAt(to))
                        || text.charAt(to) == ' ')) {
                    to++;
                }
                sink.window(i, to);
                i = to - 1;
            }
        }
    }

    /** Runs of hex digits, ':' and '.' with at least two colons, where an IPv6 address may be. */
    static void hexColonRuns(String text, Sink sink) {
        int n = text.length();
        int i = text.indexOf(':');
        while (i >= 0 && i < n) {
            int from = i;
            while (from > 0 && isHexColon(text.charAt(from - 1))) {
                from--;
            }
            int to = i;
            int colons = 0;
            while (to < n && isHexColon(text.charAt(to))) {
                if (text.charAt(to) == ':') {
                    colons++;
                }
                to++;
            }
            if (colons >= 2) {
                sink.window(from, to);
            }
            i = to < n ? text.indexOf(':', to) : -1;
        }
    }

    private static boolean isNumberChar(char c) {
        return isAsciiDigit(c) || c == ' ' || c == '(' || c == ')' || c == '+' || c == '.'
                || c == '-' || c == '/';
    }

    private static boolean isRunStart(char c) {
        return isAsciiDigit(c) || c == '(' || c == '+';
    }

    private static boolean isRunEnd(char c) {
        return isAsciiDigit(c) || c == ')';
    }

    private static boolean isEmailChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || isAsciiDigit(c)
                || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
    }

    private static boolean isHexColon(char c) {
        return isAsciiDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':'
                || c == '.';
    }

    static boolean isAsciiDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isUpper(char c) {
        return c >= 'A' && c <= 'Z';
    }

    private static boolean isLower(char c) {
        return c >= 'a' && c <= 'z';
    }
}
