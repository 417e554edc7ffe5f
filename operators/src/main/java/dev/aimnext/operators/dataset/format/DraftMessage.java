package dev.aimnext.operators.dataset.format;

import java.util.List;

/**
 * One turn as the normalizer found it, before validation. It keeps exactly the facts the
 * validation rules need (is a key there, is the role known, which keys are unexpected), so that
 * a malformed row can be described precisely instead of failing the normalizer.
 *
 * @param role the role mapped to its canonical wire name when the format's name is known, the raw
 *     name when it is not, {@code null} when the role key is missing or not a string
 * @param contentKeyPresent whether the content key ({@code content}, {@code value}, ...) exists
 * @param text the content as text, or {@code null} when it is JSON null or not text
 * @param weight OpenAI's per-message weight, if given as a number
 * @param toolCall whether the turn is an assistant's tool call (its text is then the call as JSON)
 * @param unrecognizedKeys keys the format does not define, in source order
 */
public record DraftMessage(
        String role,
        boolean contentKeyPresent,
        String text,
        Double weight,
        boolean toolCall,
        List<String> unrecognizedKeys) {

    public DraftMessage {
        unrecognizedKeys = List.copyOf(unrecognizedKeys);
    }

    /** A well-formed turn, as the alpaca and completion normalizers build them from fields. */
    public static DraftMessage of(String role, String text) {
        return new DraftMessage(role, true, text, null, false, List.of());
    }
}
