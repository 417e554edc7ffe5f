package dev.aimnext.operators.dataset.tokenize;

import dev.aimnext.operators.dataset.model.ChatMessage;
import dev.aimnext.operators.dataset.model.Role;
import dev.aimnext.operators.dataset.template.BuiltInTemplate;
import dev.aimnext.operators.dataset.template.ChatTemplateException;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Rendering, counting and labels with ChatML and the MiniLM tokenizer.json from the langchain4j test artifact. */
class ConversationTokenizerTest {

    @TempDir
    static Path dir;

    private static Path tokenizerFile;
    private static HfTokenizerCounter reference;

    private static final List<ChatMessage> CHAT = List.of(
            ChatMessage.of(Role.SYSTEM, "You answer geography questions."),
            ChatMessage.of(Role.USER, "What is the capital of France?"),
            ChatMessage.of(Role.ASSISTANT, "Paris is the capital of France."),
            ChatMessage.of(Role.USER, "And of Italy?"),
            ChatMessage.of(Role.ASSISTANT, "Rome."));

    @BeforeAll
    static void copyTokenizer() throws IOException {
        tokenizerFile = dir.resolve("tokenizer.json");
        try (InputStream in = ConversationTokenizerTest.class.getClassLoader()
                .getResourceAsStream("all-minilm-l6-v2-q-tokenizer.json")) {
            Files.copy(in, tokenizerFile);
        }
        reference = HfTokenizerCounter.load(tokenizerFile);
    }

    @AfterAll
    static void close() {
        reference.close();
    }

    @Test
    void labelsTrainOnTheAssistantTurnsOnly() throws IOException {
        try (ConversationTokenizer t = ConversationTokenizer.open(BuiltInTemplate.CHATML.template(), tokenizerFile,
                LossMask.ASSISTANT, true)) {
            TokenizedConversation c = t.tokenize(CHAT);

            assertThat(c.renderedText()).startsWith("<|im_start|>system\nYou answer geography questions.<|im_end|>\n");
            assertThat(c.assistantSpans()).hasSize(2);
            assertThat(c.inputIds()).hasSize(c.tokens()).containsExactly(ids(c.renderedText()));
            int[] trained = Arrays.stream(c.labels()).filter(l -> l != TokenizedSequence.IGNORE_INDEX).toArray();
            assertThat(trained).hasSize(c.lossTokens());
            // The trained tokens are the two answers, each with its <|im_end|> marker, and nothing of the prompts.
            int[] paris = ids("Paris is the capital of France.");
            int[] rome = ids("Rome.");
            assertThat(containsRun(trained, paris)).isTrue();
            assertThat(containsRun(trained, rome)).isTrue();
            assertThat(containsRun(trained, ids("What is the capital of France?"))).isFalse();
            assertThat(containsRun(trained, ids("system"))).isFalse();
            int endMarker = ids("<|im_end|>").length;
            assertThat(c.lossTokens()).isEqualTo(paris.length + rome.length + 2 * endMarker);
        }
    }

    @Test
    void lossOnAllTrainsEveryToken() throws IOException {
        try (ConversationTokenizer t = ConversationTokenizer.open(BuiltInTemplate.CHATML.template(), tokenizerFile,
                LossMask.ALL, true)) {
            TokenizedConversation c = t.tokenize(CHAT);
            assertThat(c.lossTokens()).isEqualTo(c.tokens());
            assertThat(c.labels()).containsExactly(c.inputIds());
        }
    }

    @Test
    void withoutATemplateMessagesAreCountedOneByOne() throws IOException {
        try (ConversationTokenizer t = ConversationTokenizer.open(null, tokenizerFile, LossMask.ASSISTANT, false)) {
            TokenizedConversation c = t.tokenize(CHAT);
            int expected = CHAT.stream().mapToInt(m -> reference.count(m.content())).sum();
            assertThat(c.tokens()).isEqualTo(expected);
            assertThat(c.lossTokens()).isEqualTo(reference.count("Paris is the capital of France.") + reference.count("Rome."));
            assertThat(c.renderedText()).isNull();
            assertThat(c.inputIds()).isNull();
            assertThat(t.exactCounts()).isTrue();
        }
    }

    @Test
    void withoutATokenizerCountsAreEstimatesOfTheRendering() throws IOException {
        try (ConversationTokenizer t = ConversationTokenizer.open(BuiltInTemplate.CHATML.template(), null,
                LossMask.ASSISTANT, false)) {
            TokenizedConversation c = t.tokenize(CHAT);
            assertThat(c.tokens()).isEqualTo((c.renderedText().length() + 3) / 4);
            assertThat(t.exactCounts()).isFalse();
        }
        assertThatThrownBy(() -> ConversationTokenizer.open(BuiltInTemplate.CHATML.template(), null, LossMask.ASSISTANT, true))
                .hasMessage("token ids need both a chat template and a tokenizer.json");
    }

    @Test
    void aTemplateThatRefusesTheConversationRaises() throws IOException {
        // Mistral's template raises when roles do not alternate user/assistant.
        try (ConversationTokenizer t = ConversationTokenizer.open(BuiltInTemplate.MISTRAL.template(), tokenizerFile,
                LossMask.ASSISTANT, true)) {
            List<ChatMessage> twoUsers = List.of(ChatMessage.of(Role.USER, "a"), ChatMessage.of(Role.USER, "b"),
                    ChatMessage.of(Role.ASSISTANT, "c"));
            assertThatThrownBy(() -> t.tokenize(twoUsers)).isInstanceOf(ChatTemplateException.class);
        }
    }

    private static int[] ids(String text) {
        return Arrays.stream(reference.ids(text)).mapToInt(Math::toIntExact).toArray();
    }

    private static boolean containsRun(int[] haystack, int[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
