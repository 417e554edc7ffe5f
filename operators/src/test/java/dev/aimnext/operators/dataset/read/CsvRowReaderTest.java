package dev.aimnext.operators.dataset.read;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aimnext.operators.dataset.format.UnrecognizedFormatException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CsvRowReaderTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static List<SourceRow> readAll(String name, String content) throws Exception {
        List<SourceRow> rows = new ArrayList<>();
        try (CsvRowReader reader = CsvRowReader.open(name, new ByteArrayInputStream(content.getBytes(StandardCharsets.UTF_8)))) {
            reader.forEachRemaining(rows::add);
        }
        return rows;
    }

    @Test
    void rowsBecomeObjectsKeyedByTheHeaderAndAreNumberedByDataRow() throws Exception {
        List<SourceRow> rows = readAll("a.csv", "instruction,input,output\nSay hi,,Hi!\n\nAdd,1 2,3\n");

        assertThat(rows).extracting(SourceRow::rowId).containsExactly("a.csv#1", "a.csv#2");
        assertThat(rows.get(0).node()).isEqualTo(JSON.readTree("{\"instruction\":\"Say hi\",\"input\":\"\",\"output\":\"Hi!\"}"));
        assertThat(rows.get(1).node()).isEqualTo(JSON.readTree("{\"instruction\":\"Add\",\"input\":\"1 2\",\"output\":\"3\"}"));
    }

    @Test
    void cellsThatStartWithABracketAreParsedAsJsonWhenTheyParse() throws Exception {
        String csv = "messages,note,tags\n"
                + "\"[{\"\"role\"\":\"\"user\"\",\"\"content\"\":\"\"hi\"\"},{\"\"role\"\":\"\"assistant\"\",\"\"content\"\":\"\"yo\"\"}]\","
                + "[citation needed] is prose,\"  {\"\"a\"\": 1}  \"\n"
                + "\"[1, 2] and more\",\"{not json\",7\n";
        List<SourceRow> rows = readAll("b.csv", csv);

        assertThat(rows.get(0).node().get("messages")).isEqualTo(
                JSON.readTree("[{\"role\":\"user\",\"content\":\"hi\"},{\"role\":\"assistant\",\"content\":\"yo\"}]"));
        assertThat(rows.get(0).node().get("note").textValue()).isEqualTo("[citation needed] is prose");
        assertThat(rows.get(0).node().get("tags")).isEqualTo(JSON.readTree("{\"a\":1}"));
        // Trailing text after a complete value is not JSON either; numbers stay text because CSV has no types.
        assertThat(rows.get(1).node().get("messages").textValue()).isEqualTo("[1, 2] and more");
        assertThat(rows.get(1).node().get("note").textValue()).isEqualTo("{not json");
        assertThat(rows.get(1).node().get("tags").textValue()).isEqualTo("7");
    }

    @Test
    void aRowWithTheWrongNumberOfCellsIsAParseErrorAndReadingGoesOn() throws Exception {
        List<SourceRow> rows = readAll("c.csv", "prompt,completion\nsecret a,b,c\nonly one\nq,a\n");

        assertThat(rows).extracting(SourceRow::rowId).containsExactly("c.csv#1", "c.csv#2", "c.csv#3");
        assertThat(rows.get(0).parseError()).isEqualTo("the row has 3 cells, the header has 2").doesNotContain("secret");
        assertThat(rows.get(1).parseError()).isEqualTo("the row has 1 cells, the header has 2");
        assertThat(rows.get(2).node()).isEqualTo(JSON.readTree("{\"prompt\":\"q\",\"completion\":\"a\"}"));
    }

    @Test
    void quotedCellsKeepCommasQuotesAndLineBreaks() throws Exception {
        String csv = "\uFEFFprompt,completion\r\n"
                + "\"a, b\",\"she said \"\"no\"\"\"\r\n"
                + "\"line one\nline two\r\nline three\",x\r\n"
                + "next,row\r\n";
        List<SourceRow> rows = readAll("d.csv", csv);

        assertThat(rows).extracting(SourceRow::rowId).containsExactly("d.csv#1", "d.csv#2", "d.csv#3");
        assertThat(rows.get(0).node().get("prompt").textValue()).isEqualTo("a, b");
        assertThat(rows.get(0).node().get("completion").textValue()).isEqualTo("she said \"no\"");
        assertThat(rows.get(1).node().get("prompt").textValue()).isEqualTo("line one\nline two\r\nline three");
        assertThat(rows.get(2).node().get("prompt").textValue()).isEqualTo("next");
    }

    @Test
    void anUnclosedQuoteEndsTheFileWithOneErrorRow() throws Exception {
        List<SourceRow> rows = readAll("e.csv", "prompt,completion\nq,a\n\"never closed,x\nmore,rows\n");

        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).parsed()).isTrue();
        assertThat(rows.get(1).rowId()).isEqualTo("e.csv#2");
        assertThat(rows.get(1).parseError()).startsWith("invalid CSV at line ").doesNotContain("never");
    }

    @Test
    void anEmptyFileHasNoRowsAndARepeatedColumnNameIsRefused() throws Exception {
        assertThat(readAll("f.csv", "")).isEmpty();
        assertThat(readAll("g.csv", "prompt,completion\n")).isEmpty();
        assertThatThrownBy(() -> readAll("h.csv", "text,text\na,b\n"))
                .isInstanceOf(UnrecognizedFormatException.class)
                .hasMessage("h.csv: the CSV header names column 'text' twice");
    }
}
