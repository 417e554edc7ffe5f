package dev.aimnext.operators.guardrails.pii;

/**
 * A detected entity: UTF-16 offsets into the scanned text, end exclusive, and a confidence in
 * [0, 1]. Spans carry positions only, never the matched value, so they are safe to log and publish.
 */
public record PiiSpan(PiiEntity entity, int start, int end, double score) {

    public PiiSpan {
        if (start < 0 || end <= start) {
            throw new IllegalArgumentException("bad span [" + start + ", " + end + ")");
        }
    }

    public int length() {
        return end - start;
    }

    public boolean overlaps(PiiSpan other) {
        return start < other.end && other.start < end;
    }

    public PiiSpan withScore(double newScore) {
        return new PiiSpan(entity, start, end, newScore);
    }
}
