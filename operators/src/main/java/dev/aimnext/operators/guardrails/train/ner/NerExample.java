package dev.aimnext.operators.guardrails.train.ner;

import java.util.List;

/**
 * One labelled text of a span-annotated PII file.
 *
 * @param text the text
 * @param spans gold entities, sorted and non-overlapping, types as the file names them
 */
public record NerExample(String text, List<NerExample.Span> spans) {

    /** A gold entity: UTF-16 offsets, end exclusive. */
    public record Span(int start, int end, String type) {}

    public NerExample {
        spans = List.copyOf(spans);
    }
}
