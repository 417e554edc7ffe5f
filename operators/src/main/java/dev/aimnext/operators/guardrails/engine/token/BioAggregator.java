package dev.aimnext.operators.guardrails.engine.token;

import java.util.ArrayList;
import java.util.List;

/**
 * Groups tagged tokens into entity spans, like HuggingFace's {@code first} aggregation:
 * <ul>
 *   <li>a word takes the label of its first sub-word token (the argmax of its probabilities), and
 *       its other pieces belong to the same entity;</li>
 *   <li>{@code B-X} starts an entity, {@code I-X} continues an open entity of type {@code X}, and an
 *       {@code I-X} with no open {@code X} entity starts a new one; {@code O} closes it;</li>
 *   <li>the span runs from its first token's start to its last token's end, and its score is the
 *       mean over its tokens of the probability of its type ({@code B-X} plus {@code I-X}).</li>
 * </ul>
 * Leading and trailing tokens with no letter or digit are trimmed off a span (a trailing {@code .}
 * right after a letter or digit stays: {@code Ltd.}), and a span with nothing left is dropped, so a
 * stray {@code B-PER} on a colon yields no entity.
 */
public final class BioAggregator {

    private BioAggregator() {}

    /**
     * @param text the text the tokens came from
     * @param labels the BIO reading of the probabilities
     * @param tokens the text's tokens in order, without special tokens
     * @return entity spans in text order, not overlapping
     */
    public static List<EntitySpan> aggregate(String text, BioLabels labels, List<TaggedToken> tokens) {
        List<EntitySpan> out = new ArrayList<>();
        Open open = null;
        int previousWord = Integer.MIN_VALUE;
        for (TaggedToken token : tokens) {
            boolean sameWord = token.wordId() >= 0 && token.wordId() == previousWord;
            previousWord = token.wordId();
            if (sameWord) {
                if (open != null) {
                    open.add(token, labels);
                }
                continue;
            }
            int label = argmax(token.probabilities());
            BioLabels.Tag tag = labels.tag(label);
            if (tag == BioLabels.Tag.OUTSIDE) {
                close(open, text, out);
                open = null;
                continue;
            }
            String type = labels.type(label);
            if (tag == BioLabels.Tag.BEGIN || open == null || !open.type.equals(type)) {
                close(open, text, out);
                open = new Open(type, token.start());
            }
            open.add(token, labels);
        }
        close(open, text, out);
        return out;
    }

    private static void close(Open open, String text, List<EntitySpan> out) {
        if (open == null) {
            return;
        }
        int start = open.start;
        int end = open.end;
        while (start < end && !Character.isLetterOrDigit(text.codePointAt(start))) {
            start += Character.charCount(text.codePointAt(start));
        }
        while (end > start && !Character.isLetterOrDigit(text.codePointBefore(end))) {
            boolean abbreviationDot = text.charAt(end - 1) == '.' && end - 1 > start
                    && Character.isLetterOrDigit(text.codePointBefore(end - 1));
            if (abbreviationDot) {
                break;
            }
            end -= Character.charCount(text.codePointBefore(end));
        }
        if (end > start) {
            out.add(new EntitySpan(open.type, start, end, open.scoreSum / open.tokens));
        }
    }

    static int argmax(float[] p) {
        int best = 0;
        for (int i = 1; i < p.length; i++) {
            if (p[i] > p[best]) {
                best = i;
            }
        }
        return best;
    }

    private static final class Open {
        final String type;
        final int start;
        int end;
        double scoreSum;
        int tokens;

        Open(String type, int start) {
            this.type = type;
            this.start = start;
            this.end = start;
        }

        void add(TaggedToken token, BioLabels labels) {
            end = Math.max(end, token.end());
            scoreSum += labels.typeProbability(token.probabilities(), type);
            tokens++;
        }
    }
}
