package dev.aimnext.operators.guardrails.pii.recognize;

import dev.aimnext.operators.guardrails.pii.PiiEntity;
import dev.aimnext.operators.guardrails.pii.PiiSpan;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;

import java.util.List;
import java.util.Set;

/**
 * IP_ADDRESS, v4 and v6. IPv4 octets must be 0-255 without leading zeros. Dotted quads that are
 * part of a longer dotted sequence, or that follow "version"-like words or a 'v', are version
 * strings; after "section"-like words they number a document's outline. IPv6 is checked by a
 * small parser (8 groups, or fewer with exactly one "::"), never by a resolver, so scanning never
 * touches the network.
 */
public final class IpAddressRecognizer implements Recognizer {

    static final double SCORE = 0.6;

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    /** Words before dotted numbers that are versions or outline numbers, not addresses. */
    private static final Set<String> VERSION_WORDS =
            Set.of("version", "ver", "release", "build", "firmware", "v", "rev", "revision",
                    "patch", "update", "upgrade", "upgraded", "sdk", "api",
                    "section", "chapter", "clause", "paragraph", "appendix", "figure", "table",
                    "step");

    @Override
    public void find(String text, List<PiiSpan> out) {
        CandidateWindows.numericRuns(
                text,
                4,
                (from, to) -> {
                    if (count(text, from, to, '.') < 3) {
                        return; // no dotted quad here; skip the pattern
                    }
                    Matcher m = IPV4.matcher(text.substring(from, to));
                    while (m.find()) {
                        int start = from + m.start();
                        int end = from + m.end();
                        if (isIpv4(text, start, end)) {
                            out.add(new PiiSpan(PiiEntity.IP_ADDRESS, start, end, SCORE));
                        }
                    }
                });
        CandidateWindows.hexColonRuns(
                text,
                (from, to) -> {
                    Matcher m = IPV6.matcher(text.substring(from, to));
                    while (m.find()) {
                        int start = from + m.start();
                        int end = from + m.end();
                        end = trimTrailingPunctuation(text, start, end);
                        if (!Boundaries.isAlnumAt(text, start - 1)
                                && !Boundaries.isAlnumAt(text, end)
                                && isIpv6(text.substring(start, end))) {
                            out.add(new PiiSpan(PiiEntity.IP_ADDRESS, start, end, SCORE));
                        }
                    }
                });
    }

    /**
     * A trailing dot ends the sentence and a single trailing colon is punctuation ("block
     * 2001:db8::1: it is"), but the "::" that ends a compressed address ("2001:db8::") is kept.
     */
    static int trimTrailingPunctuation(String text, int start, int end) {
        while (end > start) {
            char last = text.charAt(end - 1);
            if (last == '.' || (last == ':' && end - 2 >= start && text.charAt(end - 2) != ':')) {
                end--;
            } else {
                break;
            }
        }
        return end;
    }

    private static boolean isIpv4(String text, int start, int end) {
        if (Boundaries.isAlnumAt(text, start - 1) || Boundaries.isAlnumAt(text, end)) {
            return false;
        }
        if ((Boundaries.charAt(text, start - 1) == '.' && Boundaries.isDigitAt(text, start - 2))
                || (Boundaries.charAt(text, end) == '.' && Boundaries.isDigitAt(text, end + 1))) {
            return false;
        }
        if (ContextWords.anyBefore(text, start, 2, VERSION_WORDS)) {
            return false;
        }
        return validOctets(text.substring(start, end));
    }

    static boolean validOctets(String dotted) {
        String[] octets = dotted.split("\\.", -1);
        if (octets.length != 4) {
            return false;
        }
        for (String octet : octets) {
            if (octet.isEmpty() || octet.length() > 3 || (octet.length() > 1 && octet.charAt(0) == '0')) {
                return false;
            }
            if (Integer.parseInt(octet) > 255) {
                return false;
            }
        }
        return true;
    }

    /**
     * RFC 4291 text form, including an embedded IPv4 tail (::ffff:10.0.0.1). At least one decimal
     * digit is required: hex-only words joined by "::" ("Bad::Dead", "Face::add") are code, and
     * addresses in use always contain a digit.
     */
    static boolean isIpv6(String s) {
        if (s.length() < 3 || s.indexOf(':') < 0 || !hasDigit(s)) {
            return false;
        }
        int doubleColon = s.indexOf("::");
        if (doubleColon >= 0 && s.indexOf("::", doubleColon + 1) >= 0) {
            return false;
        }
        String tail = s;
        int groupsNeeded = 8;
        int lastColon = s.lastIndexOf(':');
        if (s.indexOf('.') >= 0) {
            if (!validOctets(s.substring(lastColon + 1))) {
                return false;
            }
            tail = s.substring(0, lastColon + 1) + "0:0";
        }
        if (doubleColon < 0) {
            String[] groups = tail.split(":", -1);
            return groups.length == groupsNeeded && allHexGroups(groups, false);
        }
        String head = tail.substring(0, tail.indexOf("::"));
        String rest = tail.substring(tail.indexOf("::") + 2);
        String[] left = head.isEmpty() ? new String[0] : head.split(":", -1);
        String[] right = rest.isEmpty() ? new String[0] : rest.split(":", -1);
        int present = left.length + right.length;
        // Require two written groups, so "a::" fragments of C++ or Rust paths are not addresses.
        return present >= 2
                && present < groupsNeeded
                && allHexGroups(left, false)
                && allHexGroups(right, false);
    }

    private static int count(String text, int from, int to, char c) {
        int count = 0;
        for (int i = from; i < to; i++) {
            if (text.charAt(i) == c) {
                count++;
            }
        }
        return count;
    }

    private static boolean hasDigit(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (CandidateWindows.isAsciiDigit(s.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    private static boolean allHexGroups(String[] groups, boolean allowEmpty) {
        for (String group : groups) {
            if (group.isEmpty() ? !allowEmpty : group.length() > 4) {
                return false;
            }
            for (int i = 0; i < group.length(); i++) {
                if (Character.digit(group.charAt(i), 16) < 0) {
                    return false;
                }
            }
        }
        return true;
    }
}
