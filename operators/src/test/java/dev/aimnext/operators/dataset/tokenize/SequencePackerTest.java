package dev.aimnext.operators.dataset.tokenize;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SequencePackerTest {

    private static SequencePacker.Item item(String source, int length) {
        int[] ids = new int[length];
        int[] labels = new int[length];
        for (int i = 0; i < length; i++) {
            ids[i] = source.hashCode() + i;
            labels[i] = i % 2 == 0 ? ids[i] : TokenizedSequence.IGNORE_INDEX;
        }
        return new SequencePacker.Item(source, ids, labels);
    }

    @Test
    void bestFitDecreasingFillsSequencesWithoutSplittingConversations() {
        // 6+4 and 5+5 fill two sequences of 10 exactly; next-fit in this order would need four.
        List<SequencePacker.Item> items = List.of(item("a", 6), item("b", 5), item("c", 4), item("d", 5));
        List<TokenizedSequence> packed = new SequencePacker(10).pack(items, "train");

        assertThat(packed).hasSize(2);
        assertThat(packed.get(0).sources).containsExactly("a", "c");
        assertThat(packed.get(0).sequenceLengths).containsExactly(6, 4);
        assertThat(packed.get(1).sources).containsExactly("b", "d");
        assertThat(packed).allSatisfy(seq -> {
            assertThat(seq.split).isEqualTo("train");
            assertThat(seq.inputIds).hasSize(10);
            assertThat(seq.labels).hasSize(10);
            assertThat(Arrays.stream(seq.sequenceLengths).sum()).isEqualTo(seq.inputIds.length);
        });
    }

    @Test
    void positionIdsRestartAtEveryBoundaryAndTokensAreCopiedInOrder() {
        SequencePacker.Item a = item("a", 3);
        SequencePacker.Item b = item("b", 2);
        TokenizedSequence seq = new SequencePacker(8).pack(List.of(a, b), "eval").get(0);

        assertThat(seq.positionIds).containsExactly(0, 1, 2, 0, 1);
        int[] expectedIds = new int[5];
        System.arraycopy(a.inputIds(), 0, expectedIds, 0, 3);
        System.arraycopy(b.inputIds(), 0, expectedIds, 3, 2);
        assertThat(seq.inputIds).containsExactly(expectedIds);
        assertThat(seq.labels[1]).isEqualTo(TokenizedSequence.IGNORE_INDEX);
        assertThat(seq.labels[3]).isEqualTo(b.inputIds()[0]);
    }

    @Test
    void everyTokenIsPackedExactlyOnceAndNoSequenceOverflows() {
        Random random = new Random(7);
        List<SequencePacker.Item> items = new ArrayList<>();
        long total = 0;
        for (int i = 0; i < 2000; i++) {
            int len = 1 + random.nextInt(700);
            total += len;
            items.add(item("row" + i, len));
        }
        List<TokenizedSequence> packed = new SequencePacker(1024).pack(items, "train");

        assertThat(packed).allSatisfy(seq -> assertThat(seq.inputIds.length).isLessThanOrEqualTo(1024));
        assertThat(packed.stream().mapToLong(seq -> seq.inputIds.length).sum()).isEqualTo(total);
        assertThat(packed.stream().mapToInt(seq -> seq.sources.length).sum()).isEqualTo(2000);
        double fill = total / (packed.size() * 1024.0);
        assertThat(fill).as("fill ratio of best-fit decreasing on uniform lengths").isGreaterThan(0.95);
        List<TokenizedSequence> again = new SequencePacker(1024).pack(items, "train");
        assertThat(again).hasSameSizeAs(packed);
        for (int i = 0; i < packed.size(); i++) {
            assertThat(again.get(i).sources).as("sequence %d packs the same rows", i).containsExactly(packed.get(i).sources);
        }
    }

    @Test
    void withoutPackingEveryConversationIsItsOwnSequence() {
        List<TokenizedSequence> out = new SequencePacker(0).pack(List.of(item("a", 3), item("b", 9)), "train");
        assertThat(out).hasSize(2);
        assertThat(out.get(1).sources).containsExactly("b");
        assertThat(out.get(1).positionIds).hasSize(9);
    }

    @Test
    void aConversationLongerThanTheSequenceIsAnError() {
        assertThatThrownBy(() -> new SequencePacker(4).pack(List.of(item("long", 5)), "train"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("long has 5 tokens, over max_seq_len 4");
    }
}
