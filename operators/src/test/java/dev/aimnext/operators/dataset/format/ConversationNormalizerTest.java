package dev.aimnext.operators.dataset.format;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aimnext.operators.dataset.model.ChatMessage;
import dev.aimnext.operators.dataset.model.DatasetFormat;
import dev.aimnext.operators.dataset.model.NormalizedConversation;
import dev.aimnext.operators.dataset.model.Role;
import dev.aimnext.operators.dataset.validate.RowValidator;
import dev.aimnext.operators.dataset.validate.ValidationResult;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConversationNormalizerTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final RowValidator VALIDATOR = RowValidator.builder().build();

    private static NormalizedConversation normalize(DatasetFormat format, String json) throws Exception {
        JsonNode row = MAPPER.readTree(json);
        ValidationResult result = VALIDATOR.validate(ConversationNormalizer.forFormat(format).normalize("t#1", row));
        assertThat(result.violations()).isEmpty();
        return result.conversation();
    }

    @Test
    void alpacaJoinsInstructionAndInputAndKeepsSystemAndHistory() throws Exception {
        NormalizedConversation c = normalize(DatasetFormat.ALPACA, """
                {"system": "Be brief.", "history": [["Hi", "Hello!"]],
                 "instruction": "Translate", "input": "bonjour", "output": "hello"}""");

        assertThat(c.sourceFormat()).isEqualTo(DatasetFormat.ALPACA);
        assertThat(c.rowId()).isEqualTo("t#1");
        assertThat(c.messages()).containsExactly(
                ChatMessage.of(Role.SYSTEM, "Be brief."),
                ChatMessage.of(Role.USER, "Hi"),
                ChatMessage.of(Role.ASSISTANT, "Hello!"),
                ChatMessage.of(Role.USER, "Translate\nbonjour"),
                ChatMessage.of(Role.ASSISTANT, "hello"));
        assertThat(c.weights()).isEmpty();
    }

    @Test
    void alpacaReadsGpteacherResponseKeyAndIgnoresBlankInput() throws Exception {
        NormalizedConversation c = normalize(DatasetFormat.ALPACA,
                "{\"instruction\": \"Act as a pirate\", \"input\": \"  \", \"response\": \"Arr!\"}");

        assertThat(c.messages()).containsExactly(
                ChatMessage.of(Role.USER, "Act as a pirate"), ChatMessage.of(Role.ASSISTANT, "Arr!"));
    }

    @Test
    void shareGptMapsSpeakersAndToolTurns() throws Exception {
        NormalizedConversation c = normalize(DatasetFormat.SHAREGPT, """
                {"system": "sys", "tools": "[{\\"name\\": \\"f\\"}]", "conversations": [
                  {"from": "human", "value": "q"},
                  {"from": "function_call", "value": "{\\"name\\": \\"f\\"}"},
                  {"from": "observation", "value": "42"},
                  {"from": "gpt", "value": "It is 42."}]}""");

        assertThat(c.messages()).containsExactly(
                ChatMessage.of(Role.SYSTEM, "sys"),
                ChatMessage.of(Role.USER, "q"),
                new ChatMessage(Role.ASSISTANT, "{\"name\": \"f\"}", null, true),
                ChatMessage.of(Role.TOOL, "42"),
                ChatMessage.of(Role.ASSISTANT, "It is 42."));
        assertThat(c.toolsJson()).isEqualTo("[{\"name\": \"f\"}]");
    }

    @Test
    void openAiMessagesKeepWeightsAndMapLegacyRoles() throws Exception {
        NormalizedConversation c = normalize(DatasetFormat.OPENAI_MESSAGES, """
                {"messages": [
                  {"role": "developer", "content": "sys"},
                  {"role": "user", "content": [{"type": "text", "text": "a"}, {"type": "text", "text": "b"}]},
                  {"role": "assistant", "content": "first", "weight": 0},
                  {"role": "user", "content": "again"},
                  {"role": "assistant", "content": "second", "weight": 1}]}""");

        assertThat(c.messages()).extracting(ChatMessage::role)
                .containsExactly(Role.SYSTEM, Role.USER, Role.ASSISTANT, Role.USER, Role.ASSISTANT);
        assertThat(c.messages().get(1).content()).isEqualTo("ab");
        assertThat(c.weights()).hasValueSatisfying(
                w -> assertThat(w).isEqualTo(Arrays.asList(null, null, 0.0, null, 1.0)));
    }

    @Test
    void openAiToolCallWithoutContentCarriesTheCallAsText() throws Exception {
        NormalizedConversation c = normalize(DatasetFormat.OPENAI_MESSAGES, """
                {"messages": [
                  {"role": "user", "content": "weather?"},
                  {"role": "assistant", "content": null, "tool_calls": [{"id": "1"}]},
                  {"role": "tool", "tool_call_id": "1", "content": "sunny"},
                  {"role": "assistant", "content": "Sunny."}]}""");

        assertThat(c.messages().get(1)).isEqualTo(new ChatMessage(Role.ASSISTANT, "[{\"id\":\"1\"}]", null, true));
        assertThat(c.messages().get(2)).isEqualTo(ChatMessage.of(Role.TOOL, "sunny"));
    }

    @Test
    void completionBecomesUserThenAssistant() throws Exception {
        NormalizedConversation c = normalize(DatasetFormat.COMPLETION, "{\"prompt\": \"2+2=\", \"completion\": \"4\"}");

        assertThat(c.sourceFormat()).isEqualTo(DatasetFormat.COMPLETION);
        assertThat(c.messages()).containsExactly(ChatMessage.of(Role.USER, "2+2="), ChatMessage.of(Role.ASSISTANT, "4"));
    }

    @Test
    void preferenceListsNormalizeToChosenWithRejectedKept() throws Exception {
        NormalizedConversation c = normalize(DatasetFormat.PREFERENCE, """
                {"chosen": [{"role": "user", "content": "q"}, {"role": "assistant", "content": "good"}],
                 "rejected": [{"role": "user", "content": "q"}, {"role": "assistant", "content": "bad"}]}""");

        assertThat(c.messages()).containsExactly(ChatMessage.of(Role.USER, "q"), ChatMessage.of(Role.ASSISTANT, "good"));
        assertThat(c.rejected()).containsExactly(ChatMessage.of(Role.USER, "q"), ChatMessage.of(Role.ASSISTANT, "bad"));
    }

    @Test
    void preferenceStringsShareThePrompt() throws Exception {
        NormalizedConversation c = normalize(DatasetFormat.PREFERENCE,
                "{\"prompt\": \"q\", \"chosen\": \"good\", \"rejected\": \"bad\"}");

        assertThat(c.messages()).isEqualTo(List.of(ChatMessage.of(Role.USER, "q"), ChatMessage.of(Role.ASSISTANT, "good")));
        assertThat(c.rejected()).isEqualTo(List.of(ChatMessage.of(Role.USER, "q"), ChatMessage.of(Role.ASSISTANT, "bad")));
    }

    @Test
    void shareGptKeepsUnknownSpeakerSoValidationCanNameIt() throws Exception {
        ConversationDraft draft = new ShareGptNormalizer().normalize("t#2", MAPPER.readTree(
                "{\"conversations\": [{\"from\": \"narrator\", \"value\": \"x\", \"lang\": \"en\"}]}"));

        assertThat(draft.messages()).containsExactly(
                new DraftMessage("narrator", true, "x", null, false, List.of("lang")));
    }
}
