package dev.aimnext.operators.guardrails.pii.recognize;

import dev.aimnext.operators.guardrails.pii.PiiSpan;

import java.util.List;

/**
 * Finds candidate entities in a text. Implementations use RE2/J for every pattern, because the
 * text is untrusted and RE2 matches in linear time, with validation (checksums, number plans) on
 * each candidate. Context-word boosts and span merging happen later, in the analyzer.
 */
public interface Recognizer {

    /** Appends every candidate in {@code text} to {@code out}. */
    void find(String text, List<PiiSpan> out);
}
