package dev.aimnext.operators.dataset.validate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aimnext.operators.dataset.format.OpenAiMessagesNormalizer;
import dev.aimnext.operators.dataset.model.ChatMessage;
import dev.aimnext.operators.dataset.model.DatasetFormat;
import dev.aimnext.operators.dataset.model.NormalizedConversation;
import dev.aimnext.operators.dataset.model.Role;
import dev.aimnext.operators.dataset.read.SourceRow;
import java.util.List;
import org.junit.jupiter.api.Test;

class RowValidatorTest {

    @Test
    void returnsEveryFailingReasonOfARow() {
        ValidationResult result = RowValidator.builder().build().validate(ValidationRulesTest.openAi("""
                {"messages": [{"role": "user", "content": "  ", "extra": 1}, {"role": "robot", "content": "a"},
                              {"role": "user"}]}"""));

        assertThat(result.accepted()).isFalse();
        assertThat(result.rowId()).isEqualTo("r#1");
        assertThat(result.reasons()).containsExactly(ReasonCode.MESSAGE_MISSING_KEY, ReasonCode.UNRECOGNIZED_KEY,
                ReasonCode.UNRECOGNIZED_ROLE, ReasonCode.EMPTY_TEXT, ReasonCode.NO_ASSISTANT_MESSAGE,
                ReasonCode.ENDS_ON_USER_TURN);
        assertThat(result.violations()).hasSize(6);
        assertThat(result.acceptedConversation()).isEmpty();
    }

    @Test
    void shapeFailuresAreReportedAlone() {
        ValidationResult result = RowValidator.builder().build().validate(ValidationRulesTest.openAi("{\"msgs\": []}"));

        assertThat(result.violations()).containsExactly(new Violation(ReasonCode.MISSING_MESSAGES,
                "row: no conversation, expected a non-empty 'messages' array"));
    }

    @Test
    void unparseableRowIsRejectedAsMalformedJson() {
        ValidationResult result = RowValidator.builder().build()
                .validate(new SourceRow("f.jsonl#3", null, "invalid JSON at column 4"), new OpenAiMessagesNormalizer());

        assertThat(result.violations()).containsExactly(
                new Violation(ReasonCode.MALFORMED_JSON, "row: invalid JSON at column 4"));
        assertThat(ReasonCode.MALFORMED_JSON.code()).isEqualTo("malformed_json");
    }

    @Test
    void truncatePolicyKeepsWholeExchangesThatFit() {
        RowValidator validator = RowValidator.builder().maxTokens(String::length, 9, OverLengthPolicy.TRUNCATE).build();

        ValidationResult result = validator.validate(ValidationRulesTest.openAi("""
                {"messages": [{"role": "user", "content": "aaaa"}, {"role": "assistant", "content": "bbbb"},
                              {"role": "user", "content": "cc"}, {"role": "assistant", "content": "dd"}]}"""));

        assertThat(result.accepted()).isTrue();
        assertThat(result.conversation().messages()).containsExactly(
                ChatMessage.of(Role.USER, "aaaa"), ChatMessage.of(Role.ASSISTANT, "bbbb"));
    }

    @Test
    void truncatorNeverEndsOnAToolCall() {
        ConversationTruncator truncator = new ConversationTruncator(String::length, 6);
        NormalizedConversation conversation = new NormalizedConversation("r", DatasetFormat.OPENAI_MESSAGES, List.of(
                        ChatMessage.of(Role.USER, "q"),
                        new ChatMessage(Role.ASSISTANT, "call", null, true),
                        ChatMessage.of(Role.TOOL, "r"),
                        ChatMessage.of(Role.ASSISTANT, "answer")), List.of(), null);

        assertThat(truncator.fit(conversation)).isEmpty();
        assertThat(new ConversationTruncator(String::length, 12).fit(conversation)).contains(conversation);
    }
}
