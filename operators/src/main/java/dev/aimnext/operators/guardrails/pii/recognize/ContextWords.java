package dev.aimnext.operators.guardrails.pii.recognize;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads the words just before a match. Words are whole runs of letters, lower-cased, so a context
 * word "lic" never matches inside "public" (a known Presidio false positive, #1063).
 */
public final class ContextWords {

    /** How far back to look, in characters, whatever the word count; bounds the work per match. */
    private static final int MAX_LOOKBACK_CHARS = 120;

    private ContextWords() {}

    /** Up to {@code count} words before {@code position}, nearest first. */
    public static List<String> before(String text, int position, int count) {
        List<String> words = new ArrayList<>(count);
        int limit = Math.max(0, position - MAX_LOOKBACK_CHARS);
        int i = position;
        while (i > limit && words.size() < count) {
            while (i > limit && !Character.isLetter(text.charAt(i - 1))) {
                i--;
            }
            int end = i;
            while (i > limit && Character.isLetter(text.charAt(i - 1))) {
                i--;
            }
            if (end > i) {
                words.add(text.substring(i, end).toLowerCase(Locale.ROOT));
            }
        }
        return words;
    }

    /** True when one of the {@code count} words before {@code position} is in {@code vocabulary}. */
    public static boolean anyBefore(String text, int position, int count, Set<String> vocabulary) {
        for (String word : before(text, position, count)) {
            if (vocabulary.contains(word)) {
                return true;
            }
        }
        return false;
    }
}
