package dev.aimnext.operators.dataset.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aimnext.operators.dataset.model.DatasetFormat;
import dev.aimnext.operators.dataset.read.JsonRowReader;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FormatDetectionTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static DatasetFormat row(String json) throws Exception {
        return RowFormatDetector.detect(MAPPER.readTree(json)).orElse(null);
    }

    private static JsonRowReader reader(String content) throws Exception {
        return JsonRowReader.open("mem.jsonl", new ByteArrayInputStream(content.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void detectsEachFormatFromItsKeys() throws Exception {
        assertThat(row("{\"instruction\": \"a\", \"input\": \"\", \"output\": \"b\"}")).isEqualTo(DatasetFormat.ALPACA);
        assertThat(row("{\"instruction\": \"a\", \"response\": \"b\"}")).isEqualTo(DatasetFormat.ALPACA);
        assertThat(row("{\"conversations\": []}")).isEqualTo(DatasetFormat.SHAREGPT);
        assertThat(row("{\"messages\": []}")).isEqualTo(DatasetFormat.OPENAI_MESSAGES);
        assertThat(row("{\"prompt\": \"a\", \"completion\": \"b\"}")).isEqualTo(DatasetFormat.COMPLETION);
        assertThat(row("{\"prompt\": \"a\", \"chosen\": \"b\", \"rejected\": \"c\"}")).isEqualTo(DatasetFormat.PREFERENCE);
        assertThat(row("{\"instruction\": \"a\"}")).isNull();
        assertThat(row("[1, 2]")).isNull();
    }

    @Test
    void fileFormatIsTheMajorityOfTheSampledRows() throws Exception {
        String file = """
                {"text": "unrelated"}
                {"prompt": "a", "completion": "b"}
                {"messages": [{"role": "user", "content": "a"}]}
                {"messages": [{"role": "user", "content": "b"}]}
                not json
                """;
        assertThat(FileFormatDetector.automatic().detect("mem.jsonl", reader(file)))
                .isEqualTo(DatasetFormat.OPENAI_MESSAGES);
    }

    @Test
    void onlyTheFirstSampleRowsVote() throws Exception {
        String file = """
                {"prompt": "a", "completion": "b"}
                {"messages": []}
                {"messages": []}
                """;
        assertThat(FileFormatDetector.sampling(1).detect("mem.jsonl", reader(file))).isEqualTo(DatasetFormat.COMPLETION);
    }

    @Test
    void overrideSkipsDetection() throws Exception {
        assertThat(FileFormatDetector.forced(DatasetFormat.SHAREGPT).detect("mem.jsonl", reader("{\"messages\": []}\n")))
                .isEqualTo(DatasetFormat.SHAREGPT);
        assertThat(FileFormatDetector.forced(DatasetFormat.SHAREGPT).override()).contains(DatasetFormat.SHAREGPT);
    }

    @Test
    void unrecognizedFileFailsWithTheFileNameAndTheOverrideHint() {
        assertThatThrownBy(() -> FileFormatDetector.automatic().detect("mem.jsonl", reader("{\"text\": \"x\"}\n[]\n")))
                .isInstanceOf(UnrecognizedFormatException.class)
                .hasMessage("mem.jsonl: none of the first 2 rows matches alpaca, sharegpt, OpenAI messages,"
                        + " completion or preference pairs; set the format explicitly if the file is one of these");
    }
}
