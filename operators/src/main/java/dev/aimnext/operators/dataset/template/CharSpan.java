package dev.aimnext.operators.dataset.template;

/**
 * A half-open character range {@code [start, end)} of a rendered conversation.
 *
 * @param messageIndex the index of the message the span belongs to
 */
public record CharSpan(int messageIndex, int start, int end) {

    public CharSpan {
        if (start < 0 || end < start) {
            throw new IllegalArgumentException("bad span [" + start + ", " + end + ")");
        }
    }

    public int length() {
        return end - start;
    }

    public String of(String text) {
        return text.substring(start, end);
    }
}
