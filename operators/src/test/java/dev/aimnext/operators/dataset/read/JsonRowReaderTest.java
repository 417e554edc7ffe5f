package dev.aimnext.operators.dataset.read;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonRowReaderTest {

    private static List<SourceRow> readAll(String name, String content) throws Exception {
        List<SourceRow> rows = new ArrayList<>();
        try (JsonRowReader reader = JsonRowReader.open(name, new ByteArrayInputStream(content.getBytes(StandardCharsets.UTF_8)))) {
            reader.forEachRemaining(rows::add);
        }
        return rows;
    }

    @Test
    void jsonlRowsAreNumberedByLineAndABadLineDoesNotStopReading() throws Exception {
        List<SourceRow> rows = readAll("a.jsonl", "{\"x\": 1}\n\n{\"secret\": oops}\n\"text\"\n");

        assertThat(rows).extracting(SourceRow::rowId).containsExactly("a.jsonl#1", "a.jsonl#3", "a.jsonl#4");
        assertThat(rows.get(0).node().get("x").intValue()).isEqualTo(1);
        assertThat(rows.get(1).parsed()).isFalse();
        assertThat(rows.get(1).parseError()).isEqualTo("invalid JSON at column 16").doesNotContain("oops");
        assertThat(rows.get(2).node().textValue()).isEqualTo("text");
    }

    @Test
    void jsonArrayIsStreamedElementByElement() throws Exception {
        List<SourceRow> rows = readAll("b.json", "  \n[{\"x\": 1}, 2, {\"y\": [3]}]");

        assertThat(rows).extracting(SourceRow::rowId).containsExactly("b.json#1", "b.json#2", "b.json#3");
        assertThat(rows.get(1).node().intValue()).isEqualTo(2);
        assertThat(rows.get(2).node().get("y").get(0).intValue()).isEqualTo(3);
    }

    @Test
    void truncatedJsonArrayEndsWithOneErrorRow() throws Exception {
        List<SourceRow> rows = readAll("c.json", "[{\"x\": 1}, {\"x\": ");

        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).parsed()).isTrue();
        assertThat(rows.get(1).rowId()).isEqualTo("c.json#2");
        assertThat(rows.get(1).parseError()).startsWith("invalid JSON at line 1, column ");
    }

    @Test
    void byteOrderMarkBeforeTheFirstRowIsSkipped() throws Exception {
        assertThat(readAll("d.jsonl", "\uFEFF{\"x\": 1}\n")).singleElement()
                .satisfies(row -> assertThat(row.node().get("x").intValue()).isEqualTo(1));
        assertThat(readAll("e.json", "\uFEFF[{\"x\": 2}]")).singleElement()
                .satisfies(row -> assertThat(row.node().get("x").intValue()).isEqualTo(2));
    }
}
