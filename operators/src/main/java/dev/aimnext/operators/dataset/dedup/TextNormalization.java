package dev.aimnext.operators.dataset.dedup;

import dev.aimnext.operators.dataset.model.ChatMessage;
import dev.aimnext.operators.dataset.model.NormalizedConversation;
import java.util.Locale;

/**
 * The canonical text both dedup keys are computed on: lower-cased and whitespace-collapsed, so that
 * copies differing only in case, indentation or trailing newlines count as the same row.
 */
public final class TextNormalization {

    private TextNormalization() {
    }

    /**
     * Lower-cases (locale-independent) and collapses every whitespace run, Unicode spaces such as
     * NBSP included, to one space, stripped. A loop rather than a regex: rows are untrusted text.
     */
    public static String normalize(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        StringBuilder out = new StringBuilder(lower.length());
        boolean pendingSpace = false;
        for (int i = 0; i < lower.length(); i++) {
            char c = lower.charAt(i);
            if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
                pendingSpace = out.length() > 0;
            } else {
                if (pendingSpace) {
                    out.append(' ');
                    pendingSpace = false;
                }
                out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * One line per message, {@code role: text}. Roles are part of it because the same words asked
     * and answered are different training signal.
     */
    public static String normalize(NormalizedConversation conversation) {
        StringBuilder out = new StringBuilder();
        for (ChatMessage m : conversation.messages()) {
            if (out.length() > 0) {
                out.append('\n');
            }
            out.append(m.role().wireName()).append(": ").append(normalize(m.content()));
        }
        return out.toString();
    }
}
