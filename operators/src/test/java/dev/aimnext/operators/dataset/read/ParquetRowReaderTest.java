package dev.aimnext.operators.dataset.read;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writes Parquet files with parquet-java's example writer (no Hadoop on the test classpath either)
 * and checks the JSON rows they read back as.
 */
class ParquetRowReaderTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** Writes {@code rows} records, filled in by {@code fill} in turn. */
    @SafeVarargs
    static Path write(Path file, String schemaText, CompressionCodecName codec, long rowGroupBytes, int rows,
            Consumer<Group>... fill) throws Exception {
        MessageType schema = MessageTypeParser.parseMessageType(schemaText);
        PlainParquetConfiguration conf = new PlainParquetConfiguration();
        try (ParquetWriter<Group> writer = ExampleParquetWriter.builder(new LocalOutputFile(file))
                .withConf(conf)
                .withType(schema)
                .withCodecFactory(ParquetCodecs.INSTANCE)
                .withCompressionCodec(codec)
                .withRowGroupSize(rowGroupBytes)
                .build()) {
            SimpleGroupFactory groups = new SimpleGroupFactory(schema);
            for (int i = 0; i < rows; i++) {
                Group row = groups.newGroup();
                fill[i % fill.length].accept(row);
                writer.write(row);
            }
        }
        return file;
    }

    private static List<SourceRow> readAll(Path file) throws Exception {
        List<SourceRow> rows = new ArrayList<>();
        try (DatasetFileReader reader = DatasetFileReader.open(file)) {
            reader.forEachRemaining(rows::add);
        }
        return rows;
    }

    private static void message(Group messages, String role, String content, String name) {
        Group m = messages.addGroup("list").addGroup("element");
        m.add("role", role);
        m.add("content", content);
        if (name != null) {
            m.add("name", name);
        }
    }

    @Test
    void aMessagesColumnOfStructsReadsAsTheJsonlRowWouldWithNullFieldsLeftOut() throws Exception {
        Path file = write(dir.resolve("chat.parquet"), """
                message schema {
                  optional group messages (LIST) {
                    repeated group list {
                      optional group element {
                        optional binary role (STRING);
                        optional binary content (STRING);
                        optional binary name (STRING);
                      }
                    }
                  }
                }""", CompressionCodecName.SNAPPY, 1 << 20, 2,
                row -> {
                    Group messages = row.addGroup("messages");
                    message(messages, "user", "Hi, I'm Ann", "ann");
                    message(messages, "assistant", "Hello Ann!", null);
                },
                row -> message(row.addGroup("messages"), "user", "unanswered", null));

        List<SourceRow> rows = readAll(file);

        assertThat(rows).extracting(SourceRow::rowId).containsExactly("chat.parquet#1", "chat.parquet#2");
        assertThat(rows.get(0).node()).isEqualTo(JSON.readTree("""
                {"messages": [{"role": "user", "content": "Hi, I'm Ann", "name": "ann"},
                              {"role": "assistant", "content": "Hello Ann!"}]}"""));
        assertThat(rows.get(1).node()).isEqualTo(JSON.readTree("{\"messages\": [{\"role\": \"user\", \"content\": \"unanswered\"}]}"));
    }

    @Test
    void alpacaColumnsReadAsTextAndANullInputIsLeftOut() throws Exception {
        Path file = write(dir.resolve("alpaca.parquet"), """
                message schema {
                  optional binary instruction (STRING);
                  optional binary input (STRING);
                  optional binary output (STRING);
                }""", CompressionCodecName.ZSTD, 1 << 20, 2,
                row -> row.append("instruction", "Translate").append("input", "chat").append("output", "cat"),
                row -> row.append("instruction", "Say hi").append("output", "hi"));

        assertThat(readAll(file)).extracting(SourceRow::node).containsExactly(
                JSON.readTree("{\"instruction\": \"Translate\", \"input\": \"chat\", \"output\": \"cat\"}"),
                JSON.readTree("{\"instruction\": \"Say hi\", \"output\": \"hi\"}"));
    }

    @Test
    void numbersMapsAndLegacyListsKeepTheirShape() throws Exception {
        Path file = write(dir.resolve("types.parquet"), """
                message schema {
                  required int64 id;
                  optional double score;
                  optional boolean ok;
                  optional int32 price (DECIMAL(9, 2));
                  optional int32 day (DATE);
                  optional group meta (MAP) {
                    repeated group key_value {
                      required binary key (STRING);
                      optional int32 value;
                    }
                  }
                  repeated int32 legacy_ids;
                  optional group tags (LIST) {
                    repeated binary array (STRING);
                  }
                  optional group turns (LIST) {
                    repeated group list {
                      optional int32 element;
                    }
                  }
                  optional binary raw_text;
                  optional binary raw_bytes;
                }""", CompressionCodecName.GZIP, 1 << 20, 1,
                row -> {
                    row.add("id", 7L);
                    row.add("score", 0.5);
                    row.add("ok", true);
                    row.add("price", 1999);
                    row.add("day", (int) LocalDate.of(2024, 2, 29).toEpochDay());
                    Group meta = row.addGroup("meta");
                    meta.addGroup("key_value").append("key", "a").append("value", 1);
                    meta.addGroup("key_value").append("key", "b");
                    row.add("legacy_ids", 3);
                    row.add("legacy_ids", 4);
                    Group tags = row.addGroup("tags");
                    tags.add("array", "x");
                    tags.add("array", "y");
                    Group turns = row.addGroup("turns");
                    turns.addGroup("list").append("element", 1);
                    turns.addGroup("list"); // a null element keeps its position
                    row.add("raw_text", Binary.fromConstantByteArray("plain é".getBytes(StandardCharsets.UTF_8)));
                    row.add("raw_bytes", Binary.fromConstantByteArray(new byte[] {(byte) 0xff, 0x00}));
                });

        // Compared as text: the decimal is an exact BigDecimal node, which equals no parsed double.
        assertThat(readAll(file)).singleElement().extracting(r -> r.node().toString()).isEqualTo(JSON.readTree("""
                {"id": 7, "score": 0.5, "ok": true, "price": 19.99, "day": "2024-02-29",
                 "meta": {"a": 1, "b": null}, "legacy_ids": [3, 4], "tags": ["x", "y"], "turns": [1, null],
                 "raw_text": "plain é", "raw_bytes": "/wA="}""").toString());
    }

    @Test
    void rowIdsRunOnAcrossRowGroups() throws Exception {
        int[] next = {0};
        Path file = write(dir.resolve("many.parquet"), "message schema { required binary prompt (STRING); required int32 n; }",
                CompressionCodecName.LZ4_RAW, 2048, 1000,
                row -> row.append("prompt", "p" + next[0]).append("n", next[0]++));
        try (ParquetRecords records = ParquetRecords.open(file)) {
            assertThat(records.codecs()).hasSizeGreaterThan(2); // two columns, so several row groups
        }

        List<SourceRow> rows = readAll(file);

        assertThat(rows).hasSize(1000);
        for (int i = 0; i < rows.size(); i++) {
            assertThat(rows.get(i).rowId()).isEqualTo("many.parquet#" + (i + 1));
            assertThat(rows.get(i).node().get("n").intValue()).isEqualTo(i);
        }
    }
}
