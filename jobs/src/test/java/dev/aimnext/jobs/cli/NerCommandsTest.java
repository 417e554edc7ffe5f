package dev.aimnext.jobs.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code aim train-ner} and {@code aim eval-ner} on a pack folder built from the class path (the
 * MiniLM encoder and the ner-minilm pack files) and a few hand-written sentences.
 */
class NerCommandsTest {

    @TempDir
    static Path root;

    private static Path pack;
    private static Path data;
    private static Path negatives;

    @BeforeAll
    static void files() throws IOException {
        pack = Files.createDirectories(root.resolve("pack/heads"));
        pack = pack.getParent();
        copy("/all-minilm-l6-v2-q.onnx", pack.resolve("model.onnx"));
        copy("/all-minilm-l6-v2-q-tokenizer.json", pack.resolve("tokenizer.json"));
        for (String f : new String[] {"aim-pack.json", "config.json", "heads/ner.json"}) {
            copy("/aim-guardrails/packs/ner-minilm/" + f, pack.resolve(f));
        }
        data = root.resolve("train.jsonl");
        Files.writeString(data, String.join("\n",
                line("My name is Anna Berg and I live in Oslo.", "Anna Berg", "PERSON", "Oslo", "GPE"),
                line("Please call Jonas Lindqvist at Northwind Traders.", "Jonas Lindqvist", "PERSON",
                        "Northwind Traders", "ORGANIZATION"),
                line("Kenji Watanabe moved to Lisbon.", "Kenji Watanabe", "PERSON", "Lisbon", "GPE"),
                "{\"text\": \"What is the weather like today?\", \"spans\": []}") + "\n");
        negatives = root.resolve("benign.jsonl");
        Files.writeString(negatives, "{\"text\": \"reset my pin please\", \"label\": \"benign\"}\n"
                + "{\"text\": \"how do I order a new card\", \"label\": \"benign\"}\n");
    }

    private static String line(String text, String v1, String t1, String v2, String t2) {
        int a = text.indexOf(v1);
        int b = text.indexOf(v2);
        return "{\"text\": \"" + text + "\", \"spans\": [{\"start\": " + a + ", \"end\": " + (a + v1.length())
                + ", \"type\": \"" + t1 + "\"}, {\"start\": " + b + ", \"end\": " + (b + v2.length())
                + ", \"type\": \"" + t2 + "\"}]}";
    }

    private static void copy(String resource, Path to) throws IOException {
        try (InputStream in = NerCommandsTest.class.getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            Files.copy(in, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static int run(ByteArrayOutputStream sink, String command, String... args) throws IOException {
        PrintStream out = new PrintStream(sink, true, StandardCharsets.UTF_8);
        CliArgs options = new CliArgs(args, 0, Set.of("check"));
        return command.equals("train-ner") ? new TrainNerCommand(options, out).run() : new EvalNerCommand(options, out).run();
    }

    @Test
    void trainsAHeadThatASameSeedCheckReproducesByteForByte() throws IOException {
        Path out = root.resolve("out");
        String[] train = {"--data", data.toString(), "--negatives", negatives.toString(), "--pack", pack.toString(),
                "--out", out.toString(), "--seed", "3", "--epochs", "2"};
        ByteArrayOutputStream log = new ByteArrayOutputStream();

        assertThat(run(log, "train-ner", train)).isZero();
        Path head = out.resolve("heads/ner.json");
        assertThat(Files.readString(head)).contains("\"data\": [\"train.jsonl\", \"benign.jsonl\"]");
        assertThat(log.toString(StandardCharsets.UTF_8)).contains("4 annotated texts").contains("2 entity-free texts");

        String[] check = java.util.Arrays.copyOf(train, train.length + 1);
        check[train.length] = "--check";
        ByteArrayOutputStream checkLog = new ByteArrayOutputStream();
        assertThat(run(checkLog, "train-ner", check)).isZero();
        assertThat(checkLog.toString(StandardCharsets.UTF_8)).contains("identical");

        Files.writeString(head, Files.readString(head).replace("\"seed\": 3", "\"seed\": 4"));
        assertThat(run(new ByteArrayOutputStream(), "train-ner", check)).isEqualTo(1);
    }

    @Test
    void refusesEvaluationDataAndMissingFiles() throws IOException {
        Path eval = Files.createDirectories(root.resolve("eval")).resolve("x.jsonl");
        Files.writeString(eval, "{\"text\": \"a\", \"spans\": []}\n");

        assertThatThrownBy(() -> run(new ByteArrayOutputStream(), "train-ner", "--data", eval.toString(),
                "--negatives", "none", "--pack", pack.toString()))
                .hasMessageContaining("evaluation data");
        assertThatThrownBy(() -> run(new ByteArrayOutputStream(), "train-ner", "--data", data.toString(),
                "--negatives", root.resolve("nope.jsonl").toString(), "--pack", pack.toString()))
                .hasMessageContaining("nope.jsonl").hasMessageContaining("not found");
    }

    @Test
    void evalPrintsTheTableAndTheEntityFreeTexts() throws IOException {
        ByteArrayOutputStream log = new ByteArrayOutputStream();

        assertThat(run(log, "eval-ner", "--data", data.toString(), "--pack", pack.toString())).isZero();

        assertThat(log.toString(StandardCharsets.UTF_8))
                .contains("| type | gold | predicted | exact P |")
                .contains("| PERSON | 3 |")
                .contains("texts without entities: 1");
    }
}
