package dev.aimnext.operators.guardrails.engine.token;

import dev.aimnext.operators.guardrails.engine.ModelPackException;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What a token head reads for token {@code t} of a window, in this order:
 * <ol>
 *   <li>the encoder state {@code h[t]}, then {@code h[t-1], h[t+1], h[t-2], h[t+2], ...} up to
 *       {@code context} tokens each side (zeros past the window's edge; {@code [CLS]} and
 *       {@code [SEP]} count as neighbours);</li>
 *   <li>one 0/1 value per {@link Shape}, in the listed order, for token {@code t}, then for
 *       {@code t-1, t+1, ...} up to {@code shapeContext} tokens each side (zeros past the edge).</li>
 * </ol>
 * With no {@code features} block a head reads {@code h[t]} alone: a plain linear layer over
 * {@code last_hidden_state}. Concatenating neighbours keeps the head one linear layer; the shape
 * flags give back the capitalisation that an uncased tokenizer throws away.
 *
 * @param context neighbours read on each side
 * @param shapes shape flags, in vector order
 * @param shapeContext neighbours whose shape flags are read on each side
 */
public record TokenFeatures(int context, List<TokenFeatures.Shape> shapes, int shapeContext) {

    /** 0/1 flags about a token's surface form, computed from the original text. */
    public enum Shape {
        /** The token's word starts with an upper-case letter. */
        WORD_UPPER_INITIAL,
        /** The token's word has letters and all of them are upper case. */
        WORD_ALL_UPPER,
        /** The token itself contains a digit. */
        HAS_DIGIT,
        /** The token continues the previous token's word (a sub-word piece). */
        CONTINUES_WORD,
        /** The token has no letter or digit. */
        PUNCTUATION,
        /** {@link #WORD_UPPER_INITIAL} of the previous token. */
        PREV_WORD_UPPER_INITIAL,
        /** {@link #WORD_UPPER_INITIAL} of the next token. */
        NEXT_WORD_UPPER_INITIAL,
        /** A line break lies between the previous token and this one. */
        NEWLINE_BEFORE,
        /**
         * The token is part of an initial: a single upper-case letter directly followed by a dot
         * ({@code J.}), the letter or the dot. Names' middle initials otherwise read as sentence ends.
         */
        INITIAL;

        /** The name in a head file, e.g. {@code word_upper_initial}. */
        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public TokenFeatures {
        if (context < 0 || context > 8 || shapeContext < 0 || shapeContext > 8) {
            throw new IllegalArgumentException("context and shape context must be in [0, 8], got " + context
                    + " and " + shapeContext);
        }
        shapes = List.copyOf(shapes);
    }

    /** {@code h[t]} alone. */
    public static TokenFeatures plain() {
        return new TokenFeatures(0, List.of(), 0);
    }

    /**
     * Reads a head file's {@code features} block:
     * {@code {"context": 2, "shape": ["word_upper_initial", ...], "shape_context": 1}}.
     */
    public static TokenFeatures parse(JsonNode node, String where) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            return plain();
        }
        if (!node.isObject()) {
            throw new ModelPackException(where + ": features must be an object with context and shape");
        }
        int context = node.path("context").asInt(0);
        if (context < 0 || context > 8) {
            throw new ModelPackException(where + ": features.context must be in [0, 8], got " + context);
        }
        int shapeContext = node.path("shape_context").asInt(0);
        if (shapeContext < 0 || shapeContext > 8) {
            throw new ModelPackException(where + ": features.shape_context must be in [0, 8], got " + shapeContext);
        }
        List<Shape> shapes = new ArrayList<>();
        for (JsonNode s : node.path("shape")) {
            shapes.add(parseShape(s.asText(), where));
        }
        return new TokenFeatures(context, shapes, shapeContext);
    }

    private static Shape parseShape(String key, String where) {
        for (Shape s : Shape.values()) {
            if (s.key().equals(key)) {
                return s;
            }
        }
        throw new ModelPackException(where + ": unknown features.shape '" + key + "'; expected one of "
                + Arrays.stream(Shape.values()).map(Shape::key).toList());
    }

    /** Width of the vector for an encoder of width {@code hidden}. */
    public int dimension(int hidden) {
        return (2 * context + 1) * hidden + (2 * shapeContext + 1) * shapes.size();
    }

    /**
     * Shape flags of every token of a window: [tokens][shapes]. Computed once per window, because
     * a token's word flags need its whole word.
     */
    public float[][] shapeFlags(TokenOffsets offsets, String text) {
        int n = offsets.length();
        float[][] out = new float[n][shapes.size()];
        if (shapes.isEmpty()) {
            return out;
        }
        boolean[] upperInitial = new boolean[n];
        boolean[] allUpper = new boolean[n];
        int t = 0;
        while (t < n) {
            if (offsets.special(t)) {
                t++;
                continue;
            }
            int end = t + 1;
            while (end < n && !offsets.special(end) && offsets.wordIds()[end] >= 0
                    && offsets.wordIds()[end] == offsets.wordIds()[t]) {
                end++;
            }
            int from = offsets.starts()[t];
            int to = offsets.ends()[end - 1];
            boolean initial = from < to && Character.isUpperCase(text.codePointAt(from));
            boolean upper = allUpper(text, from, to);
            for (int i = t; i < end; i++) {
                upperInitial[i] = initial;
                allUpper[i] = upper;
            }
            t = end;
        }
        for (int i = 0; i < n; i++) {
            if (offsets.special(i)) {
                continue;
            }
            for (int s = 0; s < shapes.size(); s++) {
                boolean flag = switch (shapes.get(s)) {
                    case WORD_UPPER_INITIAL -> upperInitial[i];
                    case WORD_ALL_UPPER -> allUpper[i];
                    case HAS_DIGIT -> any(text, offsets.starts()[i], offsets.ends()[i], true);
                    case CONTINUES_WORD -> i > 0 && !offsets.special(i - 1) && offsets.wordIds()[i] >= 0
                            && offsets.wordIds()[i] == offsets.wordIds()[i - 1];
                    case PUNCTUATION -> !any(text, offsets.starts()[i], offsets.ends()[i], false);
                    case PREV_WORD_UPPER_INITIAL -> i > 0 && upperInitial[i - 1];
                    case NEXT_WORD_UPPER_INITIAL -> i + 1 < n && upperInitial[i + 1];
                    case NEWLINE_BEFORE -> newlineBefore(offsets, text, i);
                    case INITIAL -> initial(offsets, text, i);
                };
                out[i][s] = flag ? 1f : 0f;
            }
        }
        return out;
    }

    /**
     * Writes the features of token {@code t} into {@code out} (length {@link #dimension}).
     *
     * @param hidden encoder states of the window, at least {@code length} rows
     * @param length real tokens in the window (rows past it are padding)
     * @param shapeFlags {@link #shapeFlags} of the window
     */
    public void fill(float[][] hidden, int length, float[][] shapeFlags, int t, float[] out) {
        int h = hidden[t].length;
        System.arraycopy(hidden[t], 0, out, 0, h);
        int at = h;
        for (int k = 1; k <= context; k++) {
            copyOrZero(hidden, length, t - k, out, at, h);
            copyOrZero(hidden, length, t + k, out, at + h, h);
            at += 2 * h;
        }
        int s = shapes.size();
        System.arraycopy(shapeFlags[t], 0, out, at, s);
        at += s;
        for (int k = 1; k <= shapeContext; k++) {
            copyOrZero(shapeFlags, length, t - k, out, at, s);
            copyOrZero(shapeFlags, length, t + k, out, at + s, s);
            at += 2 * s;
        }
    }

    private static boolean newlineBefore(TokenOffsets offsets, String text, int i) {
        int from = 0;
        for (int p = i - 1; p >= 0; p--) {
            if (!offsets.special(p)) {
                from = offsets.ends()[p];
                break;
            }
        }
        return text.substring(from, offsets.starts()[i]).indexOf('\n') >= 0;
    }

    /** A single upper-case letter with a dot right after it, the letter itself or that dot. */
    private static boolean initial(TokenOffsets offsets, String text, int i) {
        int start = offsets.starts()[i];
        int end = offsets.ends()[i];
        if (end - start == 1 && Character.isUpperCase(text.charAt(start))) {
            boolean dotAfter = end < text.length() && text.charAt(end) == '.';
            boolean alone = start == 0 || !Character.isLetterOrDigit(text.charAt(start - 1));
            return dotAfter && alone;
        }
        if (end - start == 1 && text.charAt(start) == '.' && start >= 1 && Character.isUpperCase(text.charAt(start - 1))) {
            return start == 1 || !Character.isLetterOrDigit(text.charAt(start - 2));
        }
        return false;
    }

    private static void copyOrZero(float[][] hidden, int length, int row, float[] out, int at, int h) {
        if (row < 0 || row >= length) {
            Arrays.fill(out, at, at + h, 0f);
        } else {
            System.arraycopy(hidden[row], 0, out, at, h);
        }
    }

    private static boolean allUpper(String text, int from, int to) {
        boolean letters = false;
        for (int i = from; i < to; ) {
            int cp = text.codePointAt(i);
            if (Character.isLetter(cp)) {
                letters = true;
                if (!Character.isUpperCase(cp)) {
                    return false;
                }
            }
            i += Character.charCount(cp);
        }
        return letters;
    }

    /** Whether [from, to) has a digit ({@code digitsOnly}) or a letter or digit. */
    private static boolean any(String text, int from, int to, boolean digitsOnly) {
        for (int i = from; i < to; ) {
            int cp = text.codePointAt(i);
            if (Character.isDigit(cp) || (!digitsOnly && Character.isLetter(cp))) {
                return true;
            }
            i += Character.charCount(cp);
        }
        return false;
    }
}
