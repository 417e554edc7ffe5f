package dev.aimnext.operators.dataset.template;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aimnext.operators.dataset.model.ChatMessage;
import dev.aimnext.operators.dataset.model.Role;
import java.util.List;
import org.junit.jupiter.api.Test;

class AssistantSpansTest {

    private static final List<ChatMessage> CONVERSATION = List.of(
            ChatMessage.of(Role.SYSTEM, "You are helpful."),
            ChatMessage.of(Role.USER, "Hi"),
            ChatMessage.of(Role.ASSISTANT, "Hello!"),
            ChatMessage.of(Role.USER, "How are you?"),
            ChatMessage.of(Role.ASSISTANT, "Fine."));

    private static List<String> spanTexts(RenderedConversation r) {
        return r.assistantSpans().stream().map(s -> s.of(r.text())).toList();
    }

    @Test
    void chatmlSpansCoverContentAndEndMarker() {
        RenderedConversation r = ChatTemplateRenderer.of(BuiltInTemplate.CHATML).renderWithAssistantSpans(CONVERSATION);
        assertThat(spanTexts(r)).containsExactly("Hello!<|im_end|>\n", "Fine.<|im_end|>\n");
        assertThat(r.assistantSpans()).extracting(CharSpan::messageIndex).containsExactly(2, 4);
        CharSpan first = r.assistantSpans().get(0);
        assertThat(r.text().substring(0, first.start())).endsWith("<|im_start|>assistant\n");
        boolean[] mask = r.charMask();
        int trained = 0;
        for (boolean b : mask) {
            trained += b ? 1 : 0;
        }
        assertThat(trained).isEqualTo("Hello!<|im_end|>\n".length() + "Fine.<|im_end|>\n".length());
    }

    @Test
    void llama3SpansExcludeHeaders() {
        RenderedConversation r = ChatTemplateRenderer.of(BuiltInTemplate.LLAMA3).renderWithAssistantSpans(CONVERSATION);
        assertThat(spanTexts(r)).containsExactly("Hello!<|eot_id|>", "Fine.<|eot_id|>");
        assertThat(r.text().substring(0, r.assistantSpans().get(1).start()))
                .endsWith("How are you?<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n");
        assertThat(r.assistantSpans().get(1).end()).isEqualTo(r.text().length());
    }

    @Test
    void otherBuiltInsToo() {
        List<ChatMessage> noSystem = CONVERSATION.subList(1, CONVERSATION.size());
        assertThat(spanTexts(ChatTemplateRenderer.of(BuiltInTemplate.MISTRAL).renderWithAssistantSpans(CONVERSATION)))
                .containsExactly(" Hello!</s>", " Fine.</s>");
        assertThat(spanTexts(ChatTemplateRenderer.of(BuiltInTemplate.GEMMA).renderWithAssistantSpans(noSystem)))
                .containsExactly("Hello!<end_of_turn>\n", "Fine.<end_of_turn>\n");
        // Phi-3 appends EOS only after the last message: the last span takes it, the first does not.
        assertThat(spanTexts(ChatTemplateRenderer.of(BuiltInTemplate.PHI3).renderWithAssistantSpans(CONVERSATION)))
                .containsExactly("Hello!<|end|>\n", "Fine.<|end|>\n<|endoftext|>");
    }
}
