package dev.aimnext.operators.guardrails.engine;

import java.util.Arrays;
import java.util.List;

/**
 * Model inputs for one session run, padded to the longest window in the batch (never blindly to
 * the model's maximum), with an attention mask that marks the real tokens.
 *
 * @param windows the windows, in row order
 * @param inputIds [batch][longest]
 * @param attentionMask [batch][longest]; 1 for a token, 0 for padding
 * @param tokenTypeIds [batch][longest]; fed only to graphs that declare {@code token_type_ids}
 */
public record PaddedBatch(List<TokenWindow> windows, long[][] inputIds, long[][] attentionMask, long[][] tokenTypeIds) {

    /** Pads {@code windows} to the longest of them with {@code padId}. */
    public static PaddedBatch of(List<TokenWindow> windows, long padId) {
        return of(windows, padId, 0);
    }

    /**
     * Pads {@code windows} to the longest of them, or to {@code minWidth} tokens when that is more
     * (fixed-length padding, for benchmarks that compare it with dynamic padding).
     */
    public static PaddedBatch of(List<TokenWindow> windows, long padId, int minWidth) {
        if (windows.isEmpty()) {
            throw new IllegalArgumentException("a batch needs at least one window");
        }
        int longest = Math.max(minWidth, windows.stream().mapToInt(TokenWindow::length).max().orElseThrow());
        int n = windows.size();
        long[][] ids = new long[n][longest];
        long[][] mask = new long[n][longest];
        long[][] types = new long[n][longest];
        for (int b = 0; b < n; b++) {
            TokenWindow w = windows.get(b);
            Arrays.fill(ids[b], padId);
            System.arraycopy(w.ids(), 0, ids[b], 0, w.length());
            Arrays.fill(mask[b], 0, w.length(), 1L);
            System.arraycopy(w.typeIds(), 0, types[b], 0, w.length());
        }
        return new PaddedBatch(List.copyOf(windows), ids, mask, types);
    }

    /** Rows in the batch. */
    public int size() {
        return inputIds.length;
    }

    /** Padded length of every row. */
    public int width() {
        return inputIds[0].length;
    }
}
