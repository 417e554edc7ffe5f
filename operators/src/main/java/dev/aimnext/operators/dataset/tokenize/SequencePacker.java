package dev.aimnext.operators.dataset.tokenize;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Packs tokenized conversations into training sequences of at most {@code maxSeqLen} tokens.
 *
 * <p>Greedy best-fit decreasing: conversations are taken longest first and each goes into the open
 * sequence with the least room that still holds it, or opens a new one. It wastes far less than
 * filling sequences in arrival order (next-fit) and needs no truncation, because a conversation is
 * never split across sequences; conversations longer than {@code maxSeqLen} must be rejected before.
 * Ties are broken by the input order, so the same input always packs the same way.
 *
 * <p>With {@code maxSeqLen == 0} nothing is packed: every conversation is its own sequence.
 */
public final class SequencePacker {

    /** One conversation to pack. */
    public record Item(String source, int[] inputIds, int[] labels) {
        public Item {
            if (inputIds.length != labels.length) {
                throw new IllegalArgumentException(source + ": " + inputIds.length + " ids but " + labels.length + " labels");
            }
        }
    }

    private final int maxSeqLen;

    public SequencePacker(int maxSeqLen) {
        if (maxSeqLen < 0) {
            throw new IllegalArgumentException("max_seq_len must not be negative, was " + maxSeqLen);
        }
        this.maxSeqLen = maxSeqLen;
    }

    /**
     * @param items conversations in their canonical order
     * @param split the split name written into every sequence
     * @throws IllegalArgumentException when a conversation is longer than {@code maxSeqLen}
     */
    public List<TokenizedSequence> pack(List<Item> items, String split) {
        if (maxSeqLen == 0) {
            return items.stream().map(item -> sequence(List.of(item), split)).toList();
        }
        List<Integer> order = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            Item item = items.get(i);
            if (item.inputIds().length > maxSeqLen) {
                throw new IllegalArgumentException(item.source() + " has " + item.inputIds().length
                        + " tokens, over max_seq_len " + maxSeqLen);
            }
            order.add(i);
        }
        order.sort(Comparator.<Integer>comparingInt(i -> -items.get(i).inputIds().length).thenComparingInt(i -> i));

        List<List<Item>> bins = new ArrayList<>();
        int[] room = new int[items.size()];
        // remaining room -> bins with exactly that room, oldest first
        TreeMap<Integer, Deque<Integer>> byRoom = new TreeMap<>();
        for (int i : order) {
            Item item = items.get(i);
            int len = item.inputIds().length;
            Map.Entry<Integer, Deque<Integer>> fit = byRoom.ceilingEntry(len);
            int bin;
            if (fit == null) {
                bin = bins.size();
                bins.add(new ArrayList<>());
                room[bin] = maxSeqLen;
            } else {
                bin = fit.getValue().pollFirst();
                if (fit.getValue().isEmpty()) {
                    byRoom.remove(fit.getKey());
                }
            }
            bins.get(bin).add(item);
            room[bin] -= len;
            byRoom.computeIfAbsent(room[bin], k -> new ArrayDeque<>()).addLast(bin);
        }
        return bins.stream().map(bin -> sequence(bin, split)).toList();
    }

    static TokenizedSequence sequence(List<Item> parts, String split) {
        int total = parts.stream().mapToInt(p -> p.inputIds().length).sum();
        TokenizedSequence seq = new TokenizedSequence();
        seq.split = split;
        seq.inputIds = new int[total];
        seq.labels = new int[total];
        seq.positionIds = new int[total];
        seq.sequenceLengths = new int[parts.size()];
        seq.sources = new String[parts.size()];
        int at = 0;
        for (int p = 0; p < parts.size(); p++) {
            Item part = parts.get(p);
            int len = part.inputIds().length;
            System.arraycopy(part.inputIds(), 0, seq.inputIds, at, len);
            System.arraycopy(part.labels(), 0, seq.labels, at, len);
            for (int t = 0; t < len; t++) {
                seq.positionIds[at + t] = t;
            }
            seq.sequenceLengths[p] = len;
            seq.sources[p] = part.source();
            at += len;
        }
        return seq;
    }
}
