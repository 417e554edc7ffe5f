package dev.aimnext.jobs.dataset;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The public sample files (kept with their licences in the operators module) and a generated file of planted problems. */
final class DatasetFixtures {

    /** Relative to the jobs module, where Maven runs the tests. */
    static final Path SAMPLES = Path.of("../operators/src/test/resources/datasets/finetune");

    static final List<String> SAMPLE_FILES = List.of(
            "alpaca_llamafactory_identity.json",
            "alpaca_variant_gpteacher_roleplay.json",
            "openai_messages_toy_chat_fine_tuning.jsonl",
            "preference_messages_torchtune_hh_rlhf_tiny.json",
            "sharegpt_fastchat_dummy_conversation.json",
            "sharegpt_llamafactory_glaive_toolcall_en_demo.json");

    static final String LONG_ANSWER = "Flink runs bounded jobs in batch mode, which sorts every keyed input by key"
            + " before the operator sees it, so a keyed step needs no state backend and can process one key at a"
            + " time; this is why the preparation job can deduplicate millions of conversations with modest memory"
            + " and still give the same answer at any parallelism on any cluster";

    /** Ten rows: three kept (one with an e-mail address), one exact and one near duplicate, five invalid. */
    static final List<String> GENERATED_ROWS = List.of(
            openAi("How does Flink batch mode work?", LONG_ANSWER),
            openAi("HOW does   Flink batch mode work?", LONG_ANSWER.toUpperCase()),
            openAi("How does Flink batch mode work?", LONG_ANSWER + " as well"),
            "{\"messages\": [",
            "{\"messages\":[{\"role\":\"user\",\"content\":\"only a question\"}]}",
            "{\"messages\":[{\"role\":\"robot\",\"content\":\"beep\"},{\"role\":\"assistant\",\"content\":\"boop\"}]}",
            "{\"messages\":[{\"role\":\"user\",\"content\":\"say nothing\"},{\"role\":\"assistant\",\"content\":\"   \"}]}",
            openAi("Please mail the report to jane.roe@example.com today", "I will send the quarterly report to her."),
            "{\"messages\":[{\"role\":\"user\",\"content\":\"one\"},{\"role\":\"user\",\"content\":\"two\"},"
                    + "{\"role\":\"assistant\",\"content\":\"three\"}]}",
            openAi("What is a keyed stream?", "A stream partitioned by a key so that state is scoped per key."));

    private DatasetFixtures() {}

    static String openAi(String user, String assistant) {
        return "{\"messages\":[{\"role\":\"user\",\"content\":\"" + user + "\"},{\"role\":\"assistant\",\"content\":\""
                + assistant + "\"}]}";
    }

    static Path writeGenerated(Path dir) throws IOException {
        Path file = dir.resolve("generated_openai.jsonl");
        Files.write(file, GENERATED_ROWS, StandardCharsets.UTF_8);
        return file;
    }

    static List<String> sampleInputs() {
        return SAMPLE_FILES.stream().map(f -> SAMPLES.resolve(f).toString()).toList();
    }
}
