package dev.aimnext.operators.qos.window;

import java.util.Arrays;

/**
 * The exact counters of the last hour of 10-second panes of one key, in a ring indexed by pane
 * start, so the 5-minute and 1-hour burn windows cost a sum over at most 360 slots and no sketches.
 * A Flink POJO of primitive arrays, so state stays compact in any state backend.
 */
public class BurnLedger {

    static final int SLOTS = QosWindowKind.BURN_1H.panes();

    /** Start of the pane in each slot; {@link Long#MIN_VALUE} when empty. */
    public long[] paneStarts;
    public long[] requests;
    public long[] errors;
    public long[] tokens;
    public long[] ttftMet;
    public long[] tpotMet;
    public long[] e2eMet;
    public long[] allMet;

    public BurnLedger() {}

    public static BurnLedger empty() {
        BurnLedger ledger = new BurnLedger();
        ledger.paneStarts = new long[SLOTS];
        Arrays.fill(ledger.paneStarts, Long.MIN_VALUE);
        ledger.requests = new long[SLOTS];
        ledger.errors = new long[SLOTS];
        ledger.tokens = new long[SLOTS];
        ledger.ttftMet = new long[SLOTS];
        ledger.tpotMet = new long[SLOTS];
        ledger.e2eMet = new long[SLOTS];
        ledger.allMet = new long[SLOTS];
        return ledger;
    }

    /** Records one pane, replacing whatever pane an hour older held its slot. */
    public void record(long paneStartMs, SloCounts c) {
        int slot = slot(paneStartMs);
        paneStarts[slot] = paneStartMs;
        requests[slot] = c.requests();
        errors[slot] = c.errors();
        tokens[slot] = c.tokens();
        ttftMet[slot] = c.ttftMet();
        tpotMet[slot] = c.tpotMet();
        e2eMet[slot] = c.e2eMet();
        allMet[slot] = c.allMet();
    }

    /** The counts of the panes in {@code [endMs - sizeMs, endMs)}; {@code sizeMs} at most one hour. */
    public SloCounts sum(long endMs, long sizeMs) {
        if (sizeMs > SLOTS * QosWindowKind.PANE_MS) {
            throw new IllegalArgumentException("the ledger holds one hour, asked for " + sizeMs + " ms");
        }
        long[] s = new long[7];
        for (long start = endMs - sizeMs; start < endMs; start += QosWindowKind.PANE_MS) {
            int slot = slot(start);
            if (paneStarts[slot] == start) {
                s[0] += requests[slot];
                s[1] += errors[slot];
                s[2] += tokens[slot];
                s[3] += ttftMet[slot];
                s[4] += tpotMet[slot];
                s[5] += e2eMet[slot];
                s[6] += allMet[slot];
            }
        }
        return new SloCounts(s[0], s[1], s[2], s[3], s[4], s[5], s[6]);
    }

    private static int slot(long paneStartMs) {
        return (int) Math.floorMod(Math.floorDiv(paneStartMs, QosWindowKind.PANE_MS), (long) SLOTS);
    }
}
