package dev.aimnext.operators.dataset.stage;

import java.util.Comparator;

/**
 * The total order of row ids ({@code file#n}): by file name, then by the 1-based row number. Dedup
 * keeps the lowest row under this order, so the kept row does not depend on parallelism or on the
 * order records arrive in.
 */
public final class RowOrder {

    public static final Comparator<String> ROW_IDS = RowOrder::compare;

    private RowOrder() {}

    public static int compare(String a, String b) {
        int ha = a.lastIndexOf('#');
        int hb = b.lastIndexOf('#');
        String fa = ha < 0 ? a : a.substring(0, ha);
        String fb = hb < 0 ? b : b.substring(0, hb);
        int byFile = fa.compareTo(fb);
        if (byFile != 0) {
            return byFile;
        }
        return Long.compare(number(a, ha), number(b, hb));
    }

    /** The file part of a row id. */
    public static String file(String rowId) {
        int h = rowId.lastIndexOf('#');
        return h < 0 ? rowId : rowId.substring(0, h);
    }

    private static long number(String id, int hash) {
        if (hash < 0) {
            return 0;
        }
        long n = 0;
        for (int i = hash + 1; i < id.length(); i++) {
            char c = id.charAt(i);
            if (c < '0' || c > '9') {
                return 0;
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }
}
