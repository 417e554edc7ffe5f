package dev.aimnext.operators.guardrails.engine.token;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns the overlapping windows of each text back into one token sequence. Consecutive windows of
 * a long text share {@code stride} tokens; each shared token is taken from the window where it sits
 * further from the edge, so it is read with context on both sides, and appears once. Entities in
 * the overlap are therefore found once, not once per window.
 */
public final class WindowMerger {

    /** Token {@code position} of window {@code window} (an index into the windows list). */
    public record TokenRef(int window, int position) {}

    private WindowMerger() {}

    /**
     * @param windows every window of every text, each text's windows in order
     * @param textCount number of texts
     * @return per text, its non-special tokens in text order
     */
    public static List<List<TokenRef>> pick(List<AlignedWindow> windows, int textCount) {
        List<TreeMap<Integer, Candidate>> byText = new ArrayList<>(textCount);
        for (int t = 0; t < textCount; t++) {
            byText.add(new TreeMap<>());
        }
        for (int w = 0; w < windows.size(); w++) {
            AlignedWindow window = windows.get(w);
            TokenOffsets offsets = window.offsets();
            int first = -1;
            int last = -1;
            for (int p = 0; p < offsets.length(); p++) {
                if (!offsets.special(p)) {
                    first = first < 0 ? p : first;
                    last = p;
                }
            }
            TreeMap<Integer, Candidate> tokens = byText.get(window.textIndex());
            for (int p = first; p >= 0 && p <= last; p++) {
                if (offsets.special(p)) {
                    continue;
                }
                int margin = Math.min(p - first, last - p);
                Candidate seen = tokens.get(offsets.starts()[p]);
                // Strictly greater: on a tie the earlier window keeps the token.
                if (seen == null || margin > seen.margin) {
                    tokens.put(offsets.starts()[p], new Candidate(new TokenRef(w, p), margin));
                }
            }
        }
        List<List<TokenRef>> out = new ArrayList<>(textCount);
        for (TreeMap<Integer, Candidate> tokens : byText) {
            List<TokenRef> refs = new ArrayList<>(tokens.size());
            for (Map.Entry<Integer, Candidate> e : tokens.entrySet()) {
                refs.add(e.getValue().ref);
            }
            out.add(refs);
        }
        return out;
    }

    private record Candidate(TokenRef ref, int margin) {}
}
