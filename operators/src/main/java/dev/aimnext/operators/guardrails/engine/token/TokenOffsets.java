package dev.aimnext.operators.guardrails.engine.token;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.jni.CharSpan;

/**
 * Where each token of one model window lies in its text: UTF-16 offsets (end exclusive) and the
 * word the token belongs to. Special tokens ({@code [CLS]}, {@code [SEP]}) have start and end -1
 * and word -1.
 *
 * <p>The HF tokenizer reports offsets in code points; {@link #of} converts them to Java string
 * indices, so text with characters outside the BMP (emoji) still lines up.
 *
 * @param starts first UTF-16 index of each token, or -1
 * @param ends UTF-16 index after each token, or -1
 * @param wordIds the tokenizer's word index of each token (the same for all sub-word pieces of a
 *     word, consistent across the windows of one text), or -1
 */
public record TokenOffsets(int[] starts, int[] ends, int[] wordIds) {

    public TokenOffsets {
        if (starts.length != ends.length || starts.length != wordIds.length) {
            throw new IllegalArgumentException("starts, ends and word ids differ in length");
        }
    }

    /** Tokens in the window. */
    public int length() {
        return starts.length;
    }

    /** Whether token {@code t} is a special token with no place in the text. */
    public boolean special(int t) {
        return starts[t] < 0;
    }

    /** Offsets of one encoded window of {@code text}. */
    public static TokenOffsets of(Encoding encoding, String text) {
        CharSpan[] spans = encoding.getCharTokenSpans();
        long[] words = encoding.getWordIds();
        long[] specialMask = encoding.getSpecialTokenMask();
        int n = encoding.getIds().length;
        int[] toUtf16 = codePointToUtf16(text);
        int[] starts = new int[n];
        int[] ends = new int[n];
        int[] wordIds = new int[n];
        for (int i = 0; i < n; i++) {
            CharSpan span = spans[i];
            boolean special = span == null || (specialMask != null && specialMask[i] == 1);
            if (special) {
                starts[i] = -1;
                ends[i] = -1;
                wordIds[i] = -1;
            } else {
                starts[i] = toUtf16 == null ? span.getStart() : toUtf16[span.getStart()];
                ends[i] = toUtf16 == null ? span.getEnd() : toUtf16[span.getEnd()];
                wordIds[i] = words == null ? -1 : (int) words[i];
            }
        }
        return new TokenOffsets(starts, ends, wordIds);
    }

    /** Code-point index → UTF-16 index (length: code points + 1); null when the two coincide. */
    static int[] codePointToUtf16(String text) {
        int codePoints = text.codePointCount(0, text.length());
        if (codePoints == text.length()) {
            return null;
        }
        int[] map = new int[codePoints + 1];
        int utf16 = 0;
        for (int cp = 0; cp < codePoints; cp++) {
            map[cp] = utf16;
            utf16 += Character.charCount(text.codePointAt(utf16));
        }
        map[codePoints] = text.length();
        return map;
    }
}
