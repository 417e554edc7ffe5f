package dev.aimnext.jobs.dataset;

import dev.aimnext.operators.dataset.model.DatasetFormat;
import dev.aimnext.operators.dataset.stage.PrepSettings;
import dev.aimnext.operators.dataset.tokenize.LossMask;
import dev.aimnext.operators.dataset.validate.OverLengthPolicy;

import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DatasetSpecTest {

    @TempDir
    Path dir;

    private Path spec(String yaml) throws Exception {
        Path file = dir.resolve("prepare.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    @Test
    void keysAreTheJobOptionsAndPathsAreRelativeToTheSpec() throws Exception {
        Files.writeString(dir.resolve("tokenizer.json"), "{}");
        Configuration config = DatasetSpec.load(spec("""
                inputs: [data/chat.jsonl, more]
                output-dir: out
                format: openai
                max-tokens: 2048
                on-overflow: truncate
                near-dup-threshold: 0
                pii-scrub: false
                chat-template: llama3
                tokenizer: tokenizer.json
                loss-on: all
                pack-max-seq-len: 4096
                """));

        assertThat(config.get(DatasetOptions.INPUTS)).containsExactly(
                dir.resolve("data/chat.jsonl").toString(), dir.resolve("more").toString());
        assertThat(config.get(DatasetOptions.OUTPUT_DIR)).isEqualTo(dir.resolve("out").toString());
        assertThat(config.get(DatasetOptions.CHAT_TEMPLATE)).isEqualTo("llama3");
        PrepSettings settings = DatasetOptions.settings(config);
        assertThat(settings.formatOverride()).isEqualTo(DatasetFormat.OPENAI_MESSAGES);
        assertThat(settings.maxTokens()).isEqualTo(2048);
        assertThat(settings.overLength()).isEqualTo(OverLengthPolicy.TRUNCATE);
        assertThat(settings.nearDupEnabled()).isFalse();
        assertThat(settings.piiScrub()).isFalse();
        assertThat(settings.tokenization().chatTemplate().name()).isEqualTo("llama3");
        assertThat(settings.tokenization().tokenizerPath()).isEqualTo(dir.resolve("tokenizer.json").toString());
        assertThat(settings.tokenization().lossMask()).isEqualTo(LossMask.ALL);
        assertThat(settings.tokenization().packMaxSeqLen()).isEqualTo(4096);
    }

    @Test
    void anUnknownKeyNamesTheKnownOnes() throws Exception {
        Path file = spec("inputs: [a.jsonl]\nmax_tokens: 5\n");
        assertThatThrownBy(() -> DatasetSpec.load(file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown setting 'max_tokens'")
                .hasMessageContaining("known: chat-template, eval-fraction, format, inputs, loss-on, max-tokens");
    }

    @Test
    void badShapesAndValuesFailClearly() throws Exception {
        assertThatThrownBy(() -> DatasetSpec.load(spec("- inputs\n")))
                .hasMessageContaining("expected a mapping of settings at the top level");
        assertThatThrownBy(() -> DatasetSpec.load(spec("max-tokens: [1, 2]\n")))
                .hasMessageContaining("'max-tokens' takes one value, not a list");
        assertThatThrownBy(() -> DatasetSpec.load(spec("inputs: [a\n")))
                .hasMessageContaining("not valid YAML");
        Configuration packWithoutTokenizer = DatasetSpec.load(spec("chat-template: chatml\npack-max-seq-len: 2048\n"));
        assertThatThrownBy(() -> DatasetOptions.settings(packWithoutTokenizer))
                .hasMessage("packing needs both a chat template and a tokenizer.json");
        Configuration missingTokenizer = DatasetSpec.load(spec("tokenizer: nowhere/tokenizer.json\n"));
        assertThatThrownBy(() -> DatasetOptions.settings(missingTokenizer))
                .hasMessageStartingWith("aim.dataset.tokenizer: no tokenizer.json at");
        Configuration badTemplate = DatasetSpec.load(spec("chat-template: vicuna\n"));
        assertThatThrownBy(() -> DatasetOptions.settings(badTemplate))
                .hasMessageContaining("neither a built-in chat template");
    }

    @Test
    void everyOptionIsAcceptedBySpecKey() {
        for (var option : DatasetOptions.ALL) {
            assertThat(option.key()).startsWith("aim.dataset.");
        }
        assertThat(DatasetSpec.configuration(java.util.Map.of("aim.dataset.format", "sharegpt"), "t")
                .get(DatasetOptions.FORMAT)).isEqualTo(DatasetFormat.SHAREGPT);
        assertThat(List.copyOf(DatasetOptions.ALL)).hasSize(15);
    }
}
