package dev.aimnext.operators.guardrails.pii.recognize;

import dev.aimnext.operators.guardrails.pii.PiiSpan;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Joins accepted pattern spans with named-entity spans. Pattern recognizers win on the characters
 * they cover, whatever the scores: a checksum-validated card number or an email address is a
 * surer finding than a model's guess that the same characters are a person's name. A named entity
 * that overlaps pattern spans keeps only its parts outside them (an address around a phone number
 * stays masked), trimmed of separators; parts with no letter or digit are dropped.
 */
public final class NamedEntityMerge {

    private NamedEntityMerge() {}

    /**
     * @param text the scanned text
     * @param patternSpans non-overlapping pattern spans
     * @param entitySpans non-overlapping named-entity spans
     * @return all kept spans, non-overlapping, ordered by start
     */
    public static List<PiiSpan> merge(String text, List<PiiSpan> patternSpans, List<PiiSpan> entitySpans) {
        List<PiiSpan> out = new ArrayList<>(patternSpans);
        List<PiiSpan> patterns = new ArrayList<>(patternSpans);
        patterns.sort(Comparator.comparingInt(PiiSpan::start));
        for (PiiSpan entity : entitySpans) {
            if (patterns.stream().noneMatch(entity::overlaps)) {
                out.add(entity);
                continue;
            }
            int from = entity.start();
            for (PiiSpan p : patterns) {
                if (p.end() <= from || p.start() >= entity.end()) {
                    continue;
                }
                addPiece(text, entity, from, p.start(), out);
                from = Math.max(from, p.end());
            }
            addPiece(text, entity, from, entity.end(), out);
        }
        out.sort(Comparator.comparingInt(PiiSpan::start));
        return out;
    }

    private static void addPiece(String text, PiiSpan entity, int start, int end, List<PiiSpan> out) {
        while (start < end && !Character.isLetterOrDigit(text.charAt(start))) {
            start++;
        }
        while (end > start && !Character.isLetterOrDigit(text.charAt(end - 1))) {
            end--;
        }
        if (end > start) {
            out.add(new PiiSpan(entity.entity(), start, end, entity.score()));
        }
    }
}
