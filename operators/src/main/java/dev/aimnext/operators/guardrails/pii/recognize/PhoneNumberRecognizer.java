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
 * valid number in one of the configured regions (or, with a leading '+', anywhere).
 * libphonenumber's own matcher uses java.util.regex over the whole text, so it only ever sees a
 * bounded candidate here. Dates, and numbers introduced by words like "order" or a '#', are
 * rejected: they are the usual phone look-alikes.
 */
public final class PhoneNumberRecognizer extends WindowedPatternRecognizer {

    static final double SCORE_FORMATTED = 0.7;
    static final double SCORE_PLAIN = 0.45;
    static final double SCORE_POSSIBLE = 0.4;

    private static final Pattern DATE =
            Pattern.compile(
                    "\\d{4}[\\-/.]\\d{1,2}[\\-/.]\\d{1,2}|\\d{1,2}[\\-/.]\\d{1,2}[\\-/.]\\d{2,4}");

    private static final Set<String> NOT_A_PHONE =
            Set.of(
                    "order", "invoice", "ticket", "tracking", "ref", "reference", "id", "sku",
                    "serial", "account", "acct", "case", "confirmation", "booking", "isbn",
                    "version", "patent", "po");

    private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();

    private final List<String> regions;

    /** @param regions ISO 3166 region codes tried in order for numbers without a '+' prefix */
    public PhoneNumberRecognizer(List<String> regions) {
        super(
                "(?:\\+\\d{1,3}[ .\\-]?)?(?:\\(\\d{1,4}\\)[ .\\-]?)?\\d{1,4}(?:[ .\\-]?\\d{1,4}){1,5}");
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
        int end = offset + m.end();
        if (Boundaries.isAlnumAt(text, start - 1) || Boundaries.isAlnumAt(text, end)) {
            return null;
        }
        String candidate = text.substring(start, end);
        int digitCount = Boundaries.digits(text, start, end).length();
        if (digitCount < 7 || digitCount > 15 || DATE.matches(candidate)) {
            return null;
        }
        if (Boundaries.charAt(text, start - 1) == '#'
                || ContextWords.anyBefore(text, start, 2, NOT_A_PHONE)) {
            return null;
        }
        boolean formatted = candidate.length() > digitCount;
        Phonenumber.PhoneNumber valid = parseValid(candidate);
        if (valid != null) {
            return new PiiSpan(
                    PiiEntity.PHONE_NUMBER, start, end, formatted ? SCORE_FORMATTED : SCORE_PLAIN);
        }
        // Generated test data and fictional numbers (555 exchanges) are well-formed but not
        // assigned; a formatted, possible number is kept with a score that needs context.
        if (formatted && digitCount >= 10 && isPossible(candidate)) {
            return new PiiSpan(PiiEntity.PHONE_NUMBER, start, end, SCORE_POSSIBLE);
        }
        return null;
    }

    private Phonenumber.PhoneNumber parseValid(String candidate) {
        if (candidate.startsWith("+")) {
            Phonenumber.PhoneNumber number = parse(candidate, "ZZ");
            return number != null && PHONES.isValidNumber(number) ? number : null;
        }
        for (String region : regions) {
            Phonenumber.PhoneNumber number = parse(candidate, region);
            if (number != null && PHONES.isValidNumberForRegion(number, region)) {
                return number;
            }
        }
        return null;
    }

    private boolean isPossible(String candidate) {
        String region = candidate.startsWith("+") ? "ZZ" : regions.isEmpty() ? "US" : regions.get(0);
        Phonenumber.PhoneNumber number = parse(candidate, region);
        return number != null && PHONES.isPossibleNumber(number);
    }

    private static Phonenumber.PhoneNumber parse(String candidate, String region) {
        try {
            return PHONES.parse(candidate, region);
        } catch (NumberParseException e) {
            return null;
        }
    }
}
