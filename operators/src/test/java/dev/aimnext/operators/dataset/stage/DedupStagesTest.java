package dev.aimnext.operators.dataset.stage;

import dev.aimnext.operators.dataset.dedup.MinHasher;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DedupStagesTest {

    private static PreparedRow row(String id, String text) {
        PreparedRow r = new PreparedRow();
        r.rowId = id;
        r.exactKey = "k";
        r.json = "{}";
        r.signature = new MinHasher(PrepSettings.NUM_HASHES, PrepSettings.MINHASH_SEED)
                .signature(ReadFileFunction.nearDupShingler().shingles(text));
        return r;
    }

    @Test
    void exactDedupKeepsTheLowestRowIdWhateverTheArrivalOrder() {
        ExactDedupFunction fn = new ExactDedupFunction();
        StageContexts.Outputs<PreparedRow> out = new StageContexts.Outputs<>();
        List<PreparedRow> rows = List.of(row("b.jsonl#1", "x"), row("a.jsonl#10", "x"), row("a.jsonl#9", "x"));
        fn.process("k", StageContexts.windowContext(fn, out), rows, out);
        assertThat(out.main).extracting(r -> r.rowId).containsExactly("a.jsonl#9");
        assertThat(out.rejects).extracting(r -> r.rowId).containsExactlyInAnyOrder("b.jsonl#1", "a.jsonl#10");
        assertThat(out.rejects).allSatisfy(r -> {
            assertThat(r.reasons).containsExactly(DatasetReject.EXACT_DUPLICATE);
            assertThat(r.messages).containsExactly("same normalized text as a.jsonl#9");
        });
        assertThat(out.mergedStats().exactDuplicates).isEqualTo(2);
    }

    @Test
    void bucketVotesAgainstTheHigherRowOfASimilarPairOnly() {
        String base = "the quick brown fox jumps over the lazy dog and then runs far away into the dark forest"
                + " where nobody can find it again for many long years";
        BucketPairFunction fn = new BucketPairFunction(0.8);
        StageContexts.Outputs<NearDupVote> out = new StageContexts.Outputs<>();
        List<BucketMember> members = List.of(
                member(row("f#3", base + " indeed")),
                member(row("f#1", base)),
                member(row("f#2", "an entirely different sentence about tokenizers, chat templates and packing of"
                        + " sequences for training")));
        fn.process("0:1", StageContexts.windowContext(fn, out), members, out);
        assertThat(out.main).singleElement().satisfies(v -> {
            assertThat(v.rowId).isEqualTo("f#3");
            assertThat(v.duplicateOf).isEqualTo("f#1");
            assertThat(v.jaccard).isGreaterThanOrEqualTo(0.8);
        });
    }

    @Test
    void removalDropsAVotedRowOnceAndKeepsTheOthers() {
        NearDupRemovalFunction fn = new NearDupRemovalFunction();
        StageContexts.Outputs<PreparedRow> out = new StageContexts.Outputs<>();
        PreparedRow dropped = row("f#3", "x");
        fn.process("f#3", StageContexts.windowContext(fn, out), List.of(NearDupVote.row(dropped),
                NearDupVote.against("f#3", "f#2", 0.9), NearDupVote.against("f#3", "f#1", 0.85)), out);
        fn.process("f#1", StageContexts.windowContext(fn, out), List.of(NearDupVote.row(row("f#1", "x"))), out);
        assertThat(out.main).extracting(r -> r.rowId).containsExactly("f#1");
        assertThat(out.rejects).singleElement().satisfies(r -> {
            assertThat(r.reasons).containsExactly(DatasetReject.NEAR_DUPLICATE);
            assertThat(r.messages).containsExactly("estimated Jaccard 0.85 with f#1");
        });
        assertThat(out.mergedStats().nearDuplicates).isEqualTo(1);
    }

    private static BucketMember member(PreparedRow r) {
        return new BucketMember("0:1", r.rowId, r.signature);
    }
}
