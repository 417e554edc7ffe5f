package dev.aimnext.operators.guardrails.pii.recognize;

import dev.aimnext.operators.guardrails.pii.PiiEntity;
import dev.aimnext.operators.guardrails.pii.PiiSpan;

import java.util.ArrayList;
import java.util.List;

/** Helpers for recognizer tests: run one recognizer, and build expected spans from values. */
final class Spans {

    private Spans() {}

    static List<PiiSpan> find(Recognizer recognizer, String text) {
        List<PiiSpan> out = new ArrayList<>();
        recognizer.find(text, out);
        return out;
    }

    /** The span of the first occurrence of {@code value} in {@code text}. */
    static PiiSpan at(String text, String value, PiiEntity entity, double score) {
        int start = text.indexOf(value);
        if (start < 0) {
            throw new IllegalArgumentException("'" + value + "' is not in '" + text + "'");
        }
        return new PiiSpan(entity, start, start + value.length(), score);
    }

    /** The covered text of each span, for readable assertions. */
    static List<String> values(String text, List<PiiSpan> spans) {
        List<String> values = new ArrayList<>(spans.size());
        for (PiiSpan span : spans) {
            values.add(text.substring(span.start(), span.end()));
        }
        return values;
    }
}
