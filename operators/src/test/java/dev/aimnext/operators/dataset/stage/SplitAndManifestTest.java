package dev.aimnext.operators.dataset.stage;

import dev.aimnext.operators.dataset.dedup.ExactDedupKey;
import dev.aimnext.operators.dataset.validate.OverLengthPolicy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SplitAndManifestTest {

    private static final PrepSettings SETTINGS = new PrepSettings(null, 0, OverLengthPolicy.DROP, true, 0.8, 0.1);

    @Test
    void splitIsByContentHashAndNearTheFraction() {
        int eval = 0;
        for (int i = 0; i < 10_000; i++) {
            String key = ExactDedupKey.ofText("row " + i);
            String split = SplitAssigner.splitOf(key, 0.1);
            assertThat(SplitAssigner.splitOf(key, 0.1)).isEqualTo(split);
            if (split.equals(SplitAssigner.EVAL)) {
                eval++;
            }
        }
        assertThat(eval).isBetween(900, 1100);
        assertThat(SplitAssigner.splitOf(ExactDedupKey.ofText("x"), 0)).isEqualTo(SplitAssigner.TRAIN);
    }

    @Test
    void rowOrderIsByFileThenNumber() {
        assertThat(RowOrder.compare("a.jsonl#9", "a.jsonl#10")).isNegative();
        assertThat(RowOrder.compare("b.jsonl#1", "a.jsonl#10")).isPositive();
        assertThat(RowOrder.file("dir#x.jsonl#3")).isEqualTo("dir#x.jsonl");
    }

    @Test
    void manifestHasCountsPercentilesAndAnOrderIndependentHash() throws Exception {
        DatasetStats a = new DatasetStats();
        a.rowsIn = 12;
        a.rejectedRows = 2;
        a.rejectedByReason.put("malformed_json", 2L);
        a.exactDuplicates = 1;
        a.nearDuplicates = 1;
        for (int i = 1; i <= 8; i++) {
            DatasetStats kept = new DatasetStats();
            kept.trainRows = 1;
            kept.trainTokens = i * 10;
            kept.keptTokens.add(i * 10);
            kept.keptKeys.add("key" + i);
            a.merge(kept);
        }
        JsonNode m = new ObjectMapper().readTree(DatasetManifest.toJson(a, SETTINGS));
        assertThat(m.path("kept").asLong()).isEqualTo(8);
        assertThat(m.path("rejected_by_reason").path("malformed_json").asLong()).isEqualTo(2);
        assertThat(m.path("tokens").path("min").asInt()).isEqualTo(10);
        assertThat(m.path("tokens").path("p10").asInt()).isEqualTo(10);
        assertThat(m.path("tokens").path("p50").asInt()).isEqualTo(40);
        assertThat(m.path("tokens").path("p90").asInt()).isEqualTo(80);
        assertThat(m.path("tokens").path("max").asInt()).isEqualTo(80);
        assertThat(m.path("tokens").path("note").asText()).contains("set a tokenizer.json for exact counts");
        assertThat(m.path("tokens").path("counter").asText()).isEqualTo("char_estimate");
        assertThat(m.path("estimated_training_tokens_per_epoch").asLong()).isEqualTo(360);
        assertThat(DatasetManifest.datasetHash(List.of("b", "a"))).isEqualTo(DatasetManifest.datasetHash(List.of("a", "b")));
        assertThat(m.path("dataset_hash").asText()).isEqualTo("sha256:" + DatasetManifest.datasetHash(a.keptKeys));
    }

    @Test
    void nothingKeptFailsNamingTheTopReasons() {
        DatasetStats s = new DatasetStats();
        s.rowsIn = 5;
        s.rejectedRows = 5;
        s.rejectedByReason.put("malformed_json", 3L);
        s.rejectedByReason.put("empty_text", 2L);
        assertThatThrownBy(() -> DatasetManifest.toJson(s, SETTINGS))
                .isInstanceOf(NoValidRowsException.class)
                .hasMessage("no valid rows remain out of 5 read; top reasons: malformed_json (3), empty_text (2)");
    }
}
