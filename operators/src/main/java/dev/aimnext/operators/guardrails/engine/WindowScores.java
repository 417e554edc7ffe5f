package dev.aimnext.operators.guardrails.engine;

import java.util.List;

/**
 * Folds per-window scores back into per-text scores by taking, per label, the maximum over the
 * text's windows: a long text is flagged when any part of it is, so an injection hidden behind
 * padding text still counts.
 */
public final class WindowScores {

    private WindowScores() {}

    /**
     * @param windows the windows, giving each row's text index
     * @param scores one row of scores per window, all rows of the same width
     * @param textCount number of texts
     * @return [textCount][labels]
     */
    public static float[][] maxPerText(List<TokenWindow> windows, float[][] scores, int textCount) {
        if (windows.size() != scores.length) {
            throw new IllegalArgumentException(windows.size() + " windows but " + scores.length + " score rows");
        }
        float[][] out = new float[textCount][];
        for (int r = 0; r < scores.length; r++) {
            int t = windows.get(r).textIndex();
            if (out[t] == null) {
                out[t] = scores[r].clone();
            } else {
                for (int l = 0; l < out[t].length; l++) {
                    out[t][l] = Math.max(out[t][l], scores[r][l]);
                }
            }
        }
        for (int t = 0; t < textCount; t++) {
            if (out[t] == null) {
                throw new IllegalArgumentException("text " + t + " has no window");
            }
        }
        return out;
    }
}
