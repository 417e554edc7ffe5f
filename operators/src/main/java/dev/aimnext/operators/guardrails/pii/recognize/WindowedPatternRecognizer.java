package dev.aimnext.operators.guardrails.pii.recognize;

import dev.aimnext.operators.guardrails.pii.PiiSpan;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;

import java.util.List;

/**
 * Runs one RE2/J pattern over the candidate windows that a subclass selects, and lets the subclass
 * validate each match against the whole text (boundaries, checksums, context).
 */
abstract class WindowedPatternRecognizer implements Recognizer {

    private final Pattern pattern;

    WindowedPatternRecognizer(String regex) {
        this.pattern = Pattern.compile(regex);
    }

    @Override
    public final void find(String text, List<PiiSpan> out) {
        windows(
                text,
                (from, to) -> {
                    Matcher m = pattern.matcher(text.substring(from, to));
                    while (m.find()) {
                        PiiSpan span = accept(text, from, m);
                        if (span != null) {
                            out.add(span);
                        }
                    }
                });
    }

    /** Selects the windows of {@code text} that may hold a match. */
    abstract void windows(String text, CandidateWindows.Sink sink);

    /**
     * Validates one match. Offsets in {@code m} are relative to the window starting at {@code
     * offset}. Returns the span in whole-text offsets, or null to drop the match.
     */
    abstract PiiSpan accept(String text, int offset, Matcher m);
}
