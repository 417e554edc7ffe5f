package dev.aimnext.operators.dataset.template;

import java.util.List;

/**
 * A conversation rendered with its chat template, and the character spans of the assistant turns
 * (what assistant-only loss trains on). A span covers the assistant's content and the turn's
 * end marker (e.g. {@code <|im_end|>\n}, {@code <|eot_id|>}, {@code </s>}) but not the header
 * that announces the turn, which the generation prompt already supplies at inference.
 */
public record RenderedConversation(String text, List<CharSpan> assistantSpans) {

    public RenderedConversation {
        assistantSpans = List.copyOf(assistantSpans);
    }

    /** Per-character mask: true where the character belongs to an assistant span. */
    public boolean[] charMask() {
        boolean[] mask = new boolean[text.length()];
        for (CharSpan span : assistantSpans) {
            for (int i = span.start(); i < span.end(); i++) {
                mask[i] = true;
            }
        }
        return mask;
    }
}
