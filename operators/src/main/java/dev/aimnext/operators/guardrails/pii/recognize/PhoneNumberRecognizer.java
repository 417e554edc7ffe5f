package dev.aimnext.operators.guardrails.pii.recognize;

import dev.aimnext.operators.guardrails.pii.PiiEntity;
import dev.aimnext.operators.guardrails.pii.PiiSpan;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber;
import com.google.re2j.Matcher;
import com.google.re2j.Pattern;

import java.util.List;
import java.util.Set;

/**
 * PHONE_NUMBER: RE2/J finds number-shaped candidates and libphonenumber decides whether each is a
 * valid number in one of the configured regions (or, written with '+' or an international dialling
 * prefix such as 00, anywhere). libphonenumber's own matcher uses java.util.regex over the whole
 * text, so it only ever sees a bounded candidate here. Dates and times, and numbers introduced by
 * words like "order" or a '#', are rejected: they are the usual phone look-alikes.
 *
 * <p>The score reflects how the digits are grouped (libphonenumber's STRICT_GROUPING rule):
 * "853-37-1694" happens to be a valid German number, but nobody writes one that way, while it is
 * exactly how a US SSN is written, so it scores lower than a number grouped the national way and
 * loses to the SSN. It is not dropped: people group phone numbers in many ways.
 */
public final class PhoneNumberRecognizer extends WindowedPatternRecognizer {

    static final double SCORE_FORMATTED = 0.7;
    static final double SCORE_PLAIN = 0.45;
    /** Valid, but grouped unlike its national format; below a dashed SSN. */
    static final double SCORE_MISGROUPED = 0.55;
    static final double SCORE_POSSIBLE = 0.4;

    private static final Pattern DATE =
            Pattern.compile(
                    "\\d{4}[\\-/.]\\d{1,2}[\\-/.]\\d{1,2}|\\d{1,2}[\\-/.]\\d{1,2}[\\-/.]\\d{2,4}");

    /**
     * Words that introduce some other kind of number. The nearest decisive word before a candidate
     * wins: one of these rejects it, a {@link #PHONE_WORDS phone word} keeps it ("order line,
     * call 555 ..." is a phone), and generic words such as "number" or "is" are skipped.
     */
    private static final Set<String> NOT_A_PHONE =
            Set.of(
                    "order", "invoice", "ticket", "tracking", "ref", "reference", "id", "sku",
                    "serial", "account", "acct", "case", "confirmation", "booking", "isbn",
                    "version", "patent", "po",
                    // other identifiers written as digit groups
                    "card", "cc", "ssn", "social", "security", "license", "licence", "passport",
                    "iban", "routing", "pin",
                    // parts of a postal address
                    "apt", "apartment", "suite", "zip", "postcode", "postal");

    private static final Set<String> PHONE_WORDS =
            Set.of("phone", "call", "tel", "telephone", "mobile", "cell", "fax", "dial", "whatsapp",
                    "sms", "text", "reach", "contact", "office", "desk", "home", "work");

    /** How many words before a candidate {@link #NOT_A_PHONE} and {@link #PHONE_WORDS} look at. */
    private static final int VETO_WINDOW_WORDS = 4;

    private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();

    private final List<String> regions;

    /** @param regions ISO 3166 region codes tried in order for numbers without a '+' prefix */
    public PhoneNumberRecognizer(List<String> regions) {
        // Unbounded groups: RE2/J simulates an NFA, and nested bounded repeats multiply its states;
        // the digit count is checked on the match instead.
        super("(?:\\+\\d{1,3}[ .\\-]?)?(?:\\(\\d+\\)[ .\\-]?)?\\d+(?:[ .\\-]?\\d+)+");
        for (String region : regions) {
            if (!PHONES.getSupportedRegions().contains(region)) {
                throw new IllegalArgumentException("unknown phone region '" + region + "'");
            }
        }
        this.regions = List.copyOf(regions);
    }

    @Override
    void windows(String text, CandidateWindows.Sink sink) {
        CandidateWindows.numericRuns(text, 7, sink);
    }

    @Override
    PiiSpan accept(String text, int offset, Matcher m) {
        int start = offset + m.start();
        int numberEnd = offset + m.end();
        // An extension ("x123", "ext. 123") belongs to the number; the window stops before it.
        int end = extensionEnd(text, numberEnd);
        if (Boundaries.isAlnumAt(text, start - 1) || Boundaries.isAlnumAt(text, end)) {
            return null;
        }
        // Digits glued on by ':' are a time ("2000-04-16 11:34:35") or a ratio, not a phone.
        if (isColonThenDigit(text, end) || isDigitThenColon(text, start)) {
            return null;
        }
        String number = text.substring(start, numberEnd);
        int digitCount = Boundaries.digits(text, start, numberEnd).length();
        if (digitCount < 7 || digitCount > 15 || DATE.matches(number)) {
            return null;
        }
        if (Boundaries.charAt(text, start - 1) == '#' || introducedAsOtherNumber(text, start)) {
            return null;
        }
        String candidate = text.substring(start, end);
        String compact = compact(text, start, numberEnd, end);
        boolean formatted = number.length() > digitCount;
        // Grouping only changes the score of a formatted number, so a plain run skips that check.
        Validity validity = validity(formatted ? candidate : null, compact);
        if (validity == Validity.GROUPED) {
            return new PiiSpan(
                    PiiEntity.PHONE_NUMBER, start, end, formatted ? SCORE_FORMATTED : SCORE_PLAIN);
        }
        // A valid number grouped in a way its country never writes it ("853-37-1694" in DE) is
        // still reported, but any entity whose own format it matches (a dashed SSN) outscores it.
        if (validity == Validity.MISGROUPED) {
            return new PiiSpan(
                    PiiEntity.PHONE_NUMBER, start, end, formatted ? SCORE_MISGROUPED : SCORE_PLAIN);
        }
        // Generated test data and fictional numbers (555 exchanges) are well-formed but not
        // assigned; a formatted, possible number is kept with a score that needs context.
        if (formatted && digitCount >= 10 && isPossible(compact)) {
            return new PiiSpan(PiiEntity.PHONE_NUMBER, start, end, SCORE_POSSIBLE);
        }
        return null;
    }

    /**
     * The candidate as libphonenumber should read it: '+', digits and an "x" extension, without the
     * separators. Parsing is the costliest step of the guardrail, and separators make it slower
     * (more of libphonenumber's patterns run) without changing the result; the grouping is checked
     * on the written candidate instead.
     */
    private static String compact(String text, int start, int numberEnd, int end) {
        StringBuilder out = new StringBuilder(end - start);
        if (text.charAt(start) == '+') {
            out.append('+');
        }
        out.append(Boundaries.digits(text, start, numberEnd));
        if (end > numberEnd) {
            out.append('x').append(Boundaries.digits(text, numberEnd, end));
        }
        return out.toString();
    }

    private enum Validity {
        /** Valid in a configured region (or anywhere, with '+') and grouped as written there. */
        GROUPED,
        /** Valid, but grouped unlike the national format of every region it is valid in. */
        MISGROUPED,
        INVALID
    }

    /** @param candidate the number as written, or null when its grouping does not matter */
    private Validity validity(String candidate, String compact) {
        if (compact.startsWith("+")) {
            Phonenumber.PhoneNumber number = parse(compact, "ZZ");
            if (number == null || !PHONES.isValidNumber(number)) {
                return Validity.INVALID;
            }
            return candidate == null || groupingAgrees(candidate, number)
                    ? Validity.GROUPED
                    : Validity.MISGROUPED;
        }
        Validity best = Validity.INVALID;
        for (String region : regions) {
            Phonenumber.PhoneNumber number = parse(compact, region);
            if (number == null) {
                continue;
            }
            // Dialled from this region with its international prefix ("001 ..." from GB), the
            // number may belong to any country.
            boolean international =
                    number.getCountryCodeSource()
                            == Phonenumber.PhoneNumber.CountryCodeSource.FROM_NUMBER_WITH_IDD;
            boolean valid = international ? PHONES.isValidNumber(number)
                    : PHONES.isValidNumberForRegion(number, region);
            if (valid) {
                if (candidate == null || groupingAgrees(candidate, number)) {
                    return Validity.GROUPED;
                }
                best = Validity.MISGROUPED;
            }
        }
        return best;
    }

    /**
     * libphonenumber's STRICT_GROUPING rules, against the number's primary national format:
     *
     * <ul>
     *   <li>a number written nationally must carry the trunk prefix if its country writes one
     *       ("8533 71694" is not how a German number is written; "08533 71694" is);
     *   <li>every group of the formatted number must appear, whole and in order, in the candidate,
     *       so groups may be run together but never split ({@code allNumberGroupsRemainGrouped});
     *       when nothing separates the first group from the rest, the candidate must not be grouped
     *       at all.
     * </ul>
     *
     * libphonenumber's own check lives in its matcher, which also tries alternate formats; this one
     * only ever lowers a score, so being stricter than that is safe. Plain digit runs that carry
     * the trunk prefix always agree.
     */
    static boolean groupingAgrees(String candidate, Phonenumber.PhoneNumber number) {
        String region = PHONES.getRegionCodeForCountryCode(number.getCountryCode());
        String trunkPrefix = PHONES.getNddPrefixForRegion(region, true);
        boolean national =
                number.getCountryCodeSource()
                        == Phonenumber.PhoneNumber.CountryCodeSource.FROM_DEFAULT_COUNTRY;
        if (national && trunkPrefix != null && !trunkPrefix.isEmpty()) {
            String nationalDigits =
                    digitsOf(PHONES.format(number, PhoneNumberUtil.PhoneNumberFormat.NATIONAL));
            if (nationalDigits.startsWith(trunkPrefix)
                    && !digitsOf(candidate).startsWith(trunkPrefix)) {
                return false;
            }
        }
        String rfc3966 = PHONES.format(number, PhoneNumberUtil.PhoneNumberFormat.RFC3966);
        int extension = rfc3966.indexOf(';');
        if (extension >= 0) {
            rfc3966 = rfc3966.substring(0, extension);
        }
        // "tel:+44-20-7946-0958": skip the country code, keep the national groups.
        int firstDash = rfc3966.indexOf('-');
        if (firstDash < 0) {
            return true;
        }
        String[] groups = rfc3966.substring(firstDash + 1).split("-");
        int from = 0;
        if (!national) {
            String countryCode = Integer.toString(number.getCountryCode());
            int at = candidate.indexOf(countryCode);
            from = at < 0 ? 0 : at + countryCode.length();
        }
        for (int i = 0; i < groups.length; i++) {
            from = candidate.indexOf(groups[i], from);
            if (from < 0) {
                return false;
            }
            from += groups[i].length();
            if (i == 0 && from < candidate.length() && trunkPrefix != null
                    && CandidateWindows.isAsciiDigit(candidate.charAt(from))) {
                return candidate.substring(from - groups[i].length())
                        .startsWith(PHONES.getNationalSignificantNumber(number));
            }
        }
        return true;
    }

    private static String digitsOf(String s) {
        return Boundaries.digits(s, 0, s.length());
    }

    /** True when the nearest decisive word before {@code start} says this is not a phone. */
    private static boolean introducedAsOtherNumber(String text, int start) {
        for (String word : ContextWords.before(text, start, VETO_WINDOW_WORDS)) {
            if (PHONE_WORDS.contains(word)) {
                return false;
            }
            if (NOT_A_PHONE.contains(word)) {
                return true;
            }
        }
        return false;
    }

    /** Where an extension written after the number ("x123", " ext. 123") ends, or {@code end}. */
    static int extensionEnd(String text, int end) {
        int i = end;
        if (Boundaries.charAt(text, i) == ' ') {
            i++;
        }
        if (text.startsWith("ext", i)) {
            i += 3;
            if (Boundaries.charAt(text, i) == '.') {
                i++;
            }
            if (Boundaries.charAt(text, i) == ' ') {
                i++;
            }
        } else if (Boundaries.charAt(text, i) == 'x') {
            i++;
        } else {
            return end;
        }
        int digits = i;
        while (digits < text.length()
                && digits - i < 6
                && CandidateWindows.isAsciiDigit(text.charAt(digits))) {
            digits++;
        }
        return digits > i && !Boundaries.isDigitAt(text, digits) ? digits : end;
    }

    private static boolean isColonThenDigit(String text, int end) {
        return Boundaries.charAt(text, end) == ':' && Boundaries.isDigitAt(text, end + 1);
    }

    private static boolean isDigitThenColon(String text, int start) {
        return Boundaries.charAt(text, start - 1) == ':' && Boundaries.isDigitAt(text, start - 2);
    }

    private boolean isPossible(String compact) {
        String region = compact.startsWith("+") ? "ZZ" : regions.isEmpty() ? "US" : regions.get(0);
        Phonenumber.PhoneNumber number = parse(compact, region);
        return number != null && PHONES.isPossibleNumber(number);
    }

    private static Phonenumber.PhoneNumber parse(String candidate, String region) {
        try {
            // Keeps the country code source, so an international prefix can be told apart.
            return PHONES.parseAndKeepRawInput(candidate, region);
        } catch (NumberParseException e) {
            return null;
        }
    }
}
