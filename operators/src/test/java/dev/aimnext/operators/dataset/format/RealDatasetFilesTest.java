package dev.aimnext.operators.dataset.format;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aimnext.operators.dataset.dedup.ExactDedupKey;
import dev.aimnext.operators.dataset.model.ChatMessage;
import dev.aimnext.operators.dataset.model.DatasetFormat;
import dev.aimnext.operators.dataset.model.NormalizedConversation;
import dev.aimnext.operators.dataset.model.Role;
import dev.aimnext.operators.dataset.read.JsonRowReader;
import dev.aimnext.operators.dataset.read.SourceRow;
import dev.aimnext.operators.dataset.validate.OverLengthPolicy;
import dev.aimnext.operators.dataset.validate.ReasonCode;
import dev.aimnext.operators.dataset.validate.RowValidator;
import dev.aimnext.operators.dataset.validate.TokenCounter;
import dev.aimnext.operators.dataset.validate.ValidationResult;
import dev.aimnext.operators.dataset.validate.Violation;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Reads the real sample files in {@code src/test/resources/datasets/finetune} end to end: detect the
 * file format, normalize and validate every row, the way the preparation job will.
 */
class RealDatasetFilesTest {

    private static final RowValidator VALIDATOR = RowValidator.builder().build();

    /** What a file turned into. */
    private record Outcome(DatasetFormat format, List<NormalizedConversation> accepted, List<ValidationResult> rejected) {

        Map<ReasonCode, Integer> rejectsByReason() {
            Map<ReasonCode, Integer> counts = new EnumMap<>(ReasonCode.class);
            rejected.forEach(r -> r.reasons().forEach(reason -> counts.merge(reason, 1, Integer::sum)));
            return counts;
        }

        long distinctExactKeys() {
            return accepted.stream().map(ExactDedupKey::of).distinct().count();
        }
    }

    private static Path file(String name) {
        try {
            return Path.of(RealDatasetFilesTest.class.getResource("/datasets/finetune/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Outcome prepare(String name, RowValidator validator) throws Exception {
        Path path = file(name);
        DatasetFormat format;
        try (JsonRowReader sample = JsonRowReader.open(path)) {
            format = FileFormatDetector.automatic().detect(name, sample);
        }
        ConversationNormalizer normalizer = ConversationNormalizer.forFormat(format);
        List<NormalizedConversation> accepted = new ArrayList<>();
        List<ValidationResult> rejected = new ArrayList<>();
        try (JsonRowReader rows = JsonRowReader.open(path)) {
            while (rows.hasNext()) {
                SourceRow row = rows.next();
                ValidationResult result = validator.validate(row, normalizer);
                if (result.accepted()) {
                    accepted.add(result.conversation());
                } else {
                    rejected.add(result);
                }
            }
        }
        return new Outcome(format, accepted, rejected);
    }

    @Test
    void llamaFactoryIdentityIsAlpaca() throws Exception {
        Outcome out = prepare("alpaca_llamafactory_identity.json", VALIDATOR);

        assertThat(out.format()).isEqualTo(DatasetFormat.ALPACA);
        assertThat(out.accepted()).hasSize(91);
        assertThat(out.rejected()).isEmpty();
        assertThat(out.distinctExactKeys()).isEqualTo(91);
        assertThat(out.accepted().get(0).rowId()).isEqualTo("alpaca_llamafactory_identity.json#1");
        assertThat(out.accepted().get(0).messages()).containsExactly(ChatMessage.of(Role.USER, "hi"), ChatMessage.of(
                Role.ASSISTANT, "Hello! I am {{name}}, an AI assistant developed by {{author}}. How can I assist you today?"));
    }

    @Test
    void gpteacherRoleplayIsAlpacaWithResponseKey() throws Exception {
        Outcome out = prepare("alpaca_variant_gpteacher_roleplay.json", VALIDATOR);

        assertThat(out.format()).isEqualTo(DatasetFormat.ALPACA);
        assertThat(out.accepted()).hasSize(1923);
        assertThat(out.rejected()).isEmpty();
        assertThat(out.distinctExactKeys()).isEqualTo(1923);
        assertThat(out.accepted()).allSatisfy(c -> assertThat(c.messages()).extracting(ChatMessage::role)
                .containsExactly(Role.USER, Role.ASSISTANT));
        // Row 4 is the first with a non-blank input: it is appended to the instruction on a new line.
        assertThat(out.accepted().get(3).messages().get(0).content())
                .startsWith("Pretend you are a detective in the 1920s interviewing a witness to a crime.")
                .contains("\nThe witness claims to have seen the suspect fleeing the scene with a stolen item");
        // No instruction has a newline of its own, so this counts the 443 rows with a non-blank input.
        assertThat(out.accepted().stream().filter(c -> c.messages().get(0).content().contains("\n")).count())
                .isEqualTo(443);
    }

    @Test
    void fastchatDummyIsShareGpt() throws Exception {
        Outcome out = prepare("sharegpt_fastchat_dummy_conversation.json", VALIDATOR);

        assertThat(out.format()).isEqualTo(DatasetFormat.SHAREGPT);
        assertThat(out.accepted()).hasSize(500);
        assertThat(out.rejected()).isEmpty();
        assertThat(out.distinctExactKeys()).isEqualTo(500);
        assertThat(out.accepted().stream().mapToInt(c -> c.messages().size()).sum()).isEqualTo(2000);
        assertThat(out.accepted().get(0).messages()).containsExactly(
                ChatMessage.of(Role.USER, "Who are you?"),
                ChatMessage.of(Role.ASSISTANT,
                        "I am Vicuna, a language model trained by researchers from Large Model Systems Organization (LMSYS)."),
                ChatMessage.of(Role.USER, "Have a nice day!"),
                ChatMessage.of(Role.ASSISTANT, "You too!"));
    }

    @Test
    void glaiveToolCallsAreShareGptWithToolRoles() throws Exception {
        Outcome out = prepare("sharegpt_llamafactory_glaive_toolcall_en_demo.json", VALIDATOR);

        assertThat(out.format()).isEqualTo(DatasetFormat.SHAREGPT);
        assertThat(out.accepted()).hasSize(300);
        assertThat(out.rejected()).isEmpty();
        // 38 rows repeat an earlier conversation exactly (after case and whitespace folding).
        assertThat(out.distinctExactKeys()).isEqualTo(262);
        List<ChatMessage> all = out.accepted().stream().flatMap(c -> c.messages().stream()).toList();
        assertThat(all.stream().filter(ChatMessage::toolCall).count()).isEqualTo(211);
        assertThat(all.stream().filter(m -> m.role() == Role.TOOL).count()).isEqualTo(211);
        assertThat(all.stream().filter(m -> m.role() == Role.USER).count()).isEqualTo(746);
        assertThat(all.stream().filter(m -> m.role() == Role.ASSISTANT).count()).isEqualTo(746 + 211);
        assertThat(out.accepted()).allSatisfy(c -> assertThat(c.toolsJson()).isNotNull());
        assertThat(out.accepted().stream().filter(c -> c.toolsJson().equals("[]")).count()).isEqualTo(109);
    }

    @Test
    void openAiToyFileRejectsItsIntentionallyBadRows() throws Exception {
        RowValidator withLimit = RowValidator.builder()
                .maxTokens(TokenCounter.charEstimate(), 4096, OverLengthPolicy.DROP)
                .build();
        Outcome out = prepare("openai_messages_toy_chat_fine_tuning.jsonl", withLimit);

        assertThat(out.format()).isEqualTo(DatasetFormat.OPENAI_MESSAGES);
        assertThat(out.accepted()).extracting(NormalizedConversation::rowId).containsExactly(
                "openai_messages_toy_chat_fine_tuning.jsonl#1",
                "openai_messages_toy_chat_fine_tuning.jsonl#2",
                "openai_messages_toy_chat_fine_tuning.jsonl#3");
        assertThat(out.rejected()).extracting(ValidationResult::rowId).containsExactly(
                "openai_messages_toy_chat_fine_tuning.jsonl#4",
                "openai_messages_toy_chat_fine_tuning.jsonl#5");
        // Row 4 has no user turn: system, then assistant.
        assertThat(out.rejected().get(0).violations()).containsExactly(
                new Violation(ReasonCode.ROLES_NOT_ALTERNATING, "message 2: assistant before any user turn"));
        // Row 5's answer is 26,000 characters: 17 + 3 + 6,500 estimated tokens.
        assertThat(out.rejected().get(1).violations()).containsExactly(
                new Violation(ReasonCode.OVER_MAX_TOKENS, "conversation: 6520 tokens, over the limit of 4096"));
        assertThat(out.rejectsByReason()).containsExactlyInAnyOrderEntriesOf(Map.of(
                ReasonCode.ROLES_NOT_ALTERNATING, 1, ReasonCode.OVER_MAX_TOKENS, 1));
    }

    @Test
    void openAiToyFileWithoutATokenLimitKeepsTheLongRow() throws Exception {
        Outcome out = prepare("openai_messages_toy_chat_fine_tuning.jsonl", VALIDATOR);

        assertThat(out.accepted()).hasSize(4);
        assertThat(out.rejectsByReason()).containsExactlyEntriesOf(Map.of(ReasonCode.ROLES_NOT_ALTERNATING, 1));
        assertThat(out.accepted().get(3).messages().get(2).content()).hasSize(26000);
    }

    @Test
    void torchtuneHhRlhfIsAPreferencePair() throws Exception {
        Outcome out = prepare("preference_messages_torchtune_hh_rlhf_tiny.json", VALIDATOR);

        assertThat(out.format()).isEqualTo(DatasetFormat.PREFERENCE);
        assertThat(out.rejected()).isEmpty();
        assertThat(out.accepted()).hasSize(1);
        NormalizedConversation pair = out.accepted().get(0);
        assertThat(pair.messages()).containsExactly(
                ChatMessage.of(Role.USER, "What do I do when I have a hole in my trousers?"),
                ChatMessage.of(Role.ASSISTANT, "Fix the hole."));
        assertThat(pair.rejected()).containsExactly(
                ChatMessage.of(Role.USER, "What do I do when I have a hole in my trousers?"),
                ChatMessage.of(Role.ASSISTANT, "Take them off."));
    }
}
