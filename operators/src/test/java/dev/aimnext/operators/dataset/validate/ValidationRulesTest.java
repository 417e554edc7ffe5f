package dev.aimnext.operators.dataset.validate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aimnext.operators.dataset.format.ConversationDraft;
import dev.aimnext.operators.dataset.format.ConversationNormalizer;
import dev.aimnext.operators.dataset.model.DatasetFormat;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** One nested class per rule: each rule is checked alone, on a row that fails it and one that passes. */
class ValidationRulesTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String GOOD = """
            {"messages": [{"role": "system", "content": "s"}, {"role": "user", "content": "q"},
                          {"role": "assistant", "content": "a"}]}""";

    static ConversationDraft draft(DatasetFormat format, String json) {
        try {
            return ConversationNormalizer.forFormat(format).normalize("r#1", MAPPER.readTree(json));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static ConversationDraft openAi(String json) {
        return draft(DatasetFormat.OPENAI_MESSAGES, json);
    }

    private static Violation v(ReasonCode reason, String message) {
        return new Violation(reason, message);
    }

    @Nested
    class NotAnObject {
        @Test
        void rejectsArraysAndScalars() {
            ValidationRule rule = new NotAnObjectRule();
            assertThat(rule.check(openAi("[1]"))).containsExactly(v(ReasonCode.NOT_AN_OBJECT, "row: not a JSON object"));
            assertThat(rule.check(draft(DatasetFormat.ALPACA, "\"text\""))).hasSize(1);
            assertThat(rule.check(openAi(GOOD))).isEmpty();
            assertThat(ReasonCode.NOT_AN_OBJECT.code()).isEqualTo("data_type");
        }
    }

    @Nested
    class MissingMessages {
        @Test
        void namesWhatTheFormatExpects() {
            ValidationRule rule = new MissingMessagesRule();
            assertThat(rule.check(openAi("{\"messages\": []}"))).containsExactly(
                    v(ReasonCode.MISSING_MESSAGES, "row: no conversation, expected a non-empty 'messages' array"));
            assertThat(rule.check(draft(DatasetFormat.SHAREGPT, "{\"id\": 1}"))).containsExactly(
                    v(ReasonCode.MISSING_MESSAGES, "row: no conversation, expected a non-empty 'conversations' array"));
            assertThat(rule.check(draft(DatasetFormat.ALPACA, "{\"output\": \"a\"}"))).containsExactly(
                    v(ReasonCode.MISSING_MESSAGES, "row: no conversation, expected an 'instruction'"));
            assertThat(rule.check(draft(DatasetFormat.PREFERENCE, "{\"chosen\": []}"))).containsExactly(
                    v(ReasonCode.MISSING_MESSAGES, "row: no conversation, expected 'chosen' and 'rejected' message lists"));
            assertThat(rule.check(openAi(GOOD))).isEmpty();
        }
    }

    @Nested
    class MessageMissingKey {
        @Test
        void reportsEachMessageWithoutRoleOrContent() {
            ConversationDraft row = openAi("""
                    {"messages": [{"content": "q"}, {"role": "assistant"}, {}, 7]}""");
            assertThat(new MessageMissingKeyRule().check(row)).containsExactly(
                    v(ReasonCode.MESSAGE_MISSING_KEY, "message 1: missing role"),
                    v(ReasonCode.MESSAGE_MISSING_KEY, "message 2: missing content key"),
                    v(ReasonCode.MESSAGE_MISSING_KEY, "message 3: missing role and content"),
                    v(ReasonCode.MESSAGE_MISSING_KEY, "message 4: missing role and content"));
            assertThat(new MessageMissingKeyRule().check(openAi(GOOD))).isEmpty();
        }

        @Test
        void checksTheRejectedSideOfAPreferencePair() {
            ConversationDraft row = draft(DatasetFormat.PREFERENCE, """
                    {"chosen": [{"role": "user", "content": "q"}], "rejected": [{"role": "user"}]}""");
            assertThat(new MessageMissingKeyRule().check(row)).containsExactly(
                    v(ReasonCode.MESSAGE_MISSING_KEY, "rejected message 1: missing content key"));
        }
    }

    @Nested
    class UnrecognizedKey {
        @Test
        void namesTheKeysButAllowsWeightNameAndToolFields() {
            ConversationDraft row = openAi("""
                    {"messages": [{"role": "user", "content": "q", "name": "n", "contnet": "x", "meta": 1},
                                  {"role": "assistant", "content": "a", "weight": 1}]}""");
            assertThat(new UnrecognizedKeyRule().check(row)).containsExactly(
                    v(ReasonCode.UNRECOGNIZED_KEY, "message 1: unrecognized key(s) contnet, meta"));
            assertThat(new UnrecognizedKeyRule().check(draft(DatasetFormat.SHAREGPT,
                    "{\"conversations\": [{\"from\": \"human\", \"value\": \"q\", \"markdown\": true}]}")))
                    .containsExactly(v(ReasonCode.UNRECOGNIZED_KEY, "message 1: unrecognized key(s) markdown"));
        }
    }

    @Nested
    class UnrecognizedRole {
        @Test
        void reportsRolesOutsideTheCanonicalFour() {
            ConversationDraft row = openAi("""
                    {"messages": [{"role": "user", "content": "q"}, {"role": "bot", "content": "a"}]}""");
            assertThat(new UnrecognizedRoleRule().check(row)).containsExactly(
                    v(ReasonCode.UNRECOGNIZED_ROLE, "message 2: unrecognized role 'bot'"));
            assertThat(new UnrecognizedRoleRule().check(draft(DatasetFormat.SHAREGPT,
                    "{\"conversations\": [{\"from\": \"human\", \"value\": \"q\"}, {\"from\": \"observation\", \"value\": \"r\"}]}")))
                    .isEmpty();
        }
    }

    @Nested
    class MissingContent {
        @Test
        void reportsNullOrNonTextContentButNotToolCalls() {
            ConversationDraft row = openAi("""
                    {"messages": [{"role": "user", "content": null}, {"role": "assistant", "content": 5},
                                  {"role": "assistant", "content": null, "tool_calls": [{"id": "1"}]}]}""");
            assertThat(new MissingContentRule().check(row)).containsExactly(
                    v(ReasonCode.MISSING_CONTENT, "message 1: content is null or not text"),
                    v(ReasonCode.MISSING_CONTENT, "message 2: content is null or not text"));
        }
    }

    @Nested
    class NoAssistantMessage {
        @Test
        void requiresAnAssistantTurn() {
            ConversationDraft row = openAi("""
                    {"messages": [{"role": "system", "content": "s"}, {"role": "user", "content": "q"}]}""");
            assertThat(new NoAssistantMessageRule().check(row)).containsExactly(
                    v(ReasonCode.NO_ASSISTANT_MESSAGE, "conversation: no assistant message among 2 message(s)"));
            assertThat(new NoAssistantMessageRule().check(draft(DatasetFormat.ALPACA, "{\"instruction\": \"q\"}")))
                    .containsExactly(v(ReasonCode.NO_ASSISTANT_MESSAGE, "conversation: no assistant message among 1 message(s)"));
            assertThat(new NoAssistantMessageRule().check(openAi(GOOD))).isEmpty();
        }
    }

    @Nested
    class RoleAlternation {
        private List<Violation> check(String roles) {
            StringBuilder json = new StringBuilder("{\"messages\": [");
            String[] names = roles.split(" ");
            for (int i = 0; i < names.length; i++) {
                json.append(i == 0 ? "" : ",").append("{\"role\": \"").append(names[i]).append("\", \"content\": \"x\"}");
            }
            return new RoleAlternationRule().check(openAi(json.append("]}").toString()));
        }

        @Test
        void acceptsAlternationWithToolRoundTrips() {
            assertThat(check("system user assistant user assistant")).isEmpty();
            assertThat(check("user assistant tool tool assistant user assistant")).isEmpty();
        }

        @Test
        void reportsTheFirstBreak() {
            assertThat(check("user user assistant")).containsExactly(
                    v(ReasonCode.ROLES_NOT_ALTERNATING, "message 2: user follows user"));
            assertThat(check("system assistant")).containsExactly(
                    v(ReasonCode.ROLES_NOT_ALTERNATING, "message 2: assistant before any user turn"));
            assertThat(check("user assistant assistant user user")).containsExactly(
                    v(ReasonCode.ROLES_NOT_ALTERNATING, "message 3: assistant follows assistant"));
            assertThat(check("user assistant system user assistant")).containsExactly(
                    v(ReasonCode.ROLES_NOT_ALTERNATING, "message 3: a system message is only allowed first"));
            assertThat(check("user tool assistant")).containsExactly(
                    v(ReasonCode.ROLES_NOT_ALTERNATING, "message 2: tool result follows user"));
        }

        @Test
        void leavesUnknownRolesToTheirOwnRule() {
            assertThat(check("user user bot")).isEmpty();
        }
    }

    @Nested
    class EndsOnUserTurn {
        @Test
        void rejectsATrailingUserOrToolTurn() {
            ConversationDraft row = openAi("""
                    {"messages": [{"role": "user", "content": "q"}, {"role": "assistant", "content": "a"},
                                  {"role": "user", "content": "and?"}]}""");
            assertThat(new EndsOnUserTurnRule().check(row)).containsExactly(
                    v(ReasonCode.ENDS_ON_USER_TURN, "message 3: conversation ends on a user turn with no assistant reply"));
            assertThat(new EndsOnUserTurnRule().check(draft(DatasetFormat.SHAREGPT, """
                    {"conversations": [{"from": "human", "value": "q"}, {"from": "function_call", "value": "{}"},
                                       {"from": "observation", "value": "r"}]}""")))
                    .containsExactly(v(ReasonCode.ENDS_ON_USER_TURN,
                            "message 3: conversation ends on a tool turn with no assistant reply"));
            assertThat(new EndsOnUserTurnRule().check(openAi(GOOD))).isEmpty();
        }
    }

    @Nested
    class EmptyText {
        @Test
        void rejectsWhitespaceOnlyText() {
            ConversationDraft row = openAi("""
                    {"messages": [{"role": "user", "content": " \\n\\t "}, {"role": "assistant", "content": ""}]}""");
            assertThat(new EmptyTextRule().check(row)).containsExactly(
                    v(ReasonCode.EMPTY_TEXT, "message 1: text is empty after stripping whitespace"),
                    v(ReasonCode.EMPTY_TEXT, "message 2: text is empty after stripping whitespace"));
            assertThat(new EmptyTextRule().check(openAi(GOOD))).isEmpty();
        }
    }

    @Nested
    class MaxTokens {
        /** One token per character keeps the arithmetic visible. */
        private final TokenCounter perChar = String::length;

        private final ConversationDraft twoExchanges = openAi("""
                {"messages": [{"role": "user", "content": "aaaa"}, {"role": "assistant", "content": "bbbb"},
                              {"role": "user", "content": "cc"}, {"role": "assistant", "content": "dd"}]}""");

        @Test
        void dropPolicyRejectsAnyExcess() {
            assertThat(new MaxTokensRule(perChar, 11, OverLengthPolicy.DROP).check(twoExchanges)).containsExactly(
                    v(ReasonCode.OVER_MAX_TOKENS, "conversation: 12 tokens, over the limit of 11"));
            assertThat(new MaxTokensRule(perChar, 12, OverLengthPolicy.DROP).check(twoExchanges)).isEmpty();
        }

        @Test
        void truncatePolicyRejectsOnlyWhenTheFirstExchangeIsTooLong() {
            assertThat(new MaxTokensRule(perChar, 8, OverLengthPolicy.TRUNCATE).check(twoExchanges)).isEmpty();
            assertThat(new MaxTokensRule(perChar, 7, OverLengthPolicy.TRUNCATE).check(twoExchanges)).containsExactly(
                    v(ReasonCode.OVER_MAX_TOKENS,
                            "conversation: first exchange has 8 tokens, over the limit of 7 even after truncation"));
        }
    }
}
