package dev.aimnext.operators.guardrails.engine.token;

/**
 * A named entity found by a token-classification pack: UTF-16 offsets into the text, end
 * exclusive, the entity type as the pack's labels name it ({@code PER} for {@code B-PER}), and the
 * mean probability of that type over the entity's tokens. Carries positions only, never the text.
 */
public record EntitySpan(String type, int start, int end, double score) {

    public EntitySpan {
        if (type == null || type.isEmpty()) {
            throw new IllegalArgumentException("an entity span needs a type");
        }
        if (start < 0 || end <= start) {
            throw new IllegalArgumentException("bad entity span [" + start + ", " + end + ")");
        }
    }

    public int length() {
        return end - start;
    }

    public boolean overlaps(EntitySpan other) {
        return start < other.end && other.start < end;
    }
}
