package dev.aimnext.operators.dataset.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aimnext.operators.dataset.model.ChatMessage;
import dev.aimnext.operators.dataset.model.Role;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChatTemplateRendererTest {

    private static final List<ChatMessage> CONVERSATION = List.of(
            ChatMessage.of(Role.SYSTEM, "You are helpful."),
            ChatMessage.of(Role.USER, "Hi"),
            ChatMessage.of(Role.ASSISTANT, "Hello!"),
            ChatMessage.of(Role.USER, "How are you?"),
            ChatMessage.of(Role.ASSISTANT, "Fine."));

    private static final List<ChatMessage> NO_SYSTEM = CONVERSATION.subList(1, CONVERSATION.size());

    private static String render(BuiltInTemplate t, List<ChatMessage> messages, boolean generationPrompt) {
        return ChatTemplateRenderer.of(t).render(messages, generationPrompt);
    }

    @Test
    void chatml() {
        assertThat(render(BuiltInTemplate.CHATML, CONVERSATION, false)).isEqualTo(
                "<|im_start|>system\nYou are helpful.<|im_end|>\n"
                        + "<|im_start|>user\nHi<|im_end|>\n"
                        + "<|im_start|>assistant\nHello!<|im_end|>\n"
                        + "<|im_start|>user\nHow are you?<|im_end|>\n"
                        + "<|im_start|>assistant\nFine.<|im_end|>\n");
        assertThat(render(BuiltInTemplate.CHATML, CONVERSATION.subList(0, 2), true)).isEqualTo(
                "<|im_start|>system\nYou are helpful.<|im_end|>\n"
                        + "<|im_start|>user\nHi<|im_end|>\n"
                        + "<|im_start|>assistant\n");
    }

    @Test
    void llama3() {
        assertThat(render(BuiltInTemplate.LLAMA3, CONVERSATION, false)).isEqualTo(
                "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nYou are helpful.<|eot_id|>"
                        + "<|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|>"
                        + "<|start_header_id|>assistant<|end_header_id|>\n\nHello!<|eot_id|>"
                        + "<|start_header_id|>user<|end_header_id|>\n\nHow are you?<|eot_id|>"
                        + "<|start_header_id|>assistant<|end_header_id|>\n\nFine.<|eot_id|>");
        assertThat(render(BuiltInTemplate.LLAMA3, List.of(ChatMessage.of(Role.USER, "  Hi \n")), true))
                .isEqualTo("<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|>"
                        + "<|start_header_id|>assistant<|end_header_id|>\n\n");
    }

    @Test
    void mistral() {
        assertThat(render(BuiltInTemplate.MISTRAL, CONVERSATION, false)).isEqualTo(
                "<s> [INST] You are helpful.\n\nHi [/INST] Hello!</s> [INST] How are you? [/INST] Fine.</s>");
        assertThat(render(BuiltInTemplate.MISTRAL, NO_SYSTEM, false)).isEqualTo(
                "<s> [INST] Hi [/INST] Hello!</s> [INST] How are you? [/INST] Fine.</s>");
    }

    @Test
    void gemma() {
        assertThat(render(BuiltInTemplate.GEMMA, NO_SYSTEM, false)).isEqualTo(
                "<bos><start_of_turn>user\nHi<end_of_turn>\n"
                        + "<start_of_turn>model\nHello!<end_of_turn>\n"
                        + "<start_of_turn>user\nHow are you?<end_of_turn>\n"
                        + "<start_of_turn>model\nFine.<end_of_turn>\n");
        assertThat(render(BuiltInTemplate.GEMMA, CONVERSATION.subList(0, 2), true)).isEqualTo(
                "<bos><start_of_turn>user\nYou are helpful.\n\nHi<end_of_turn>\n<start_of_turn>model\n");
    }

    @Test
    void phi3() {
        assertThat(render(BuiltInTemplate.PHI3, CONVERSATION, false)).isEqualTo(
                "<|system|>\nYou are helpful.<|end|>\n"
                        + "<|user|>\nHi<|end|>\n"
                        + "<|assistant|>\nHello!<|end|>\n"
                        + "<|user|>\nHow are you?<|end|>\n"
                        + "<|assistant|>\nFine.<|end|>\n<|endoftext|>");
        assertThat(render(BuiltInTemplate.PHI3, CONVERSATION.subList(1, 2), true))
                .isEqualTo("<|user|>\nHi<|end|>\n<|assistant|>\n");
    }

    @Test
    void builtInsAreSelectableByName() {
        assertThat(BuiltInTemplate.byName("ChatML")).contains(BuiltInTemplate.CHATML);
        assertThat(BuiltInTemplate.byName("llama-3")).contains(BuiltInTemplate.LLAMA3);
        assertThat(BuiltInTemplate.byName("Phi-3")).contains(BuiltInTemplate.PHI3);
        assertThat(BuiltInTemplate.byName("gemma2")).contains(BuiltInTemplate.GEMMA);
        assertThat(BuiltInTemplate.byName("mistral")).contains(BuiltInTemplate.MISTRAL);
        assertThat(BuiltInTemplate.byName("gpt-2")).isEmpty();
    }

    @Test
    void raiseExceptionAbortsWithTheTemplatesMessage() {
        List<ChatMessage> twoUsers = List.of(ChatMessage.of(Role.USER, "a"), ChatMessage.of(Role.USER, "b"));
        assertThatThrownBy(() -> render(BuiltInTemplate.MISTRAL, twoUsers, false))
                .isInstanceOf(TemplateRaisedException.class)
                .hasMessage("After the optional system message, conversation roles must alternate "
                        + "user/assistant/user/assistant/...");
        ChatTemplate custom = new ChatTemplate("custom",
                "{% if messages | length == 0 %}{{ raise_exception('empty conversation') }}{% endif %}ok", "", "");
        assertThatThrownBy(() -> new ChatTemplateRenderer(custom).render(List.of(), false))
                .isInstanceOf(TemplateRaisedException.class)
                .hasMessage("empty conversation");
        assertThat(new ChatTemplateRenderer(custom).render(NO_SYSTEM, false)).isEqualTo("ok");
    }

    @Test
    void customTemplateFromTokenizerConfig(@TempDir Path dir) throws IOException {
        // Zephyr's published template, with bos/eos as AddedToken objects, as in its tokenizer_config.json.
        String json = """
                {
                  "bos_token": {"__type": "AddedToken", "content": "<s>", "lstrip": false},
                  "eos_token": "</s>",
                  "chat_template": "{% for message in messages %}\\n{% if message['role'] == 'user' %}\\n{{ '<|user|>\\n' + message['content'] + eos_token }}\\n{% elif message['role'] == 'system' %}\\n{{ '<|system|>\\n' + message['content'] + eos_token }}\\n{% elif message['role'] == 'assistant' %}\\n{{ '<|assistant|>\\n'  + message['content'] + eos_token }}\\n{% endif %}\\n{% if loop.last and add_generation_prompt %}\\n{{ '<|assistant|>' }}\\n{% endif %}\\n{% endfor %}"
                }
                """;
        Path config = dir.resolve("tokenizer_config.json");
        Files.writeString(config, json);
        ChatTemplate template = ChatTemplates.resolve(dir.toString());
        assertThat(template.bosToken()).isEqualTo("<s>");
        assertThat(template.eosToken()).isEqualTo("</s>");
        assertThat(new ChatTemplateRenderer(template).render(CONVERSATION.subList(0, 3), false)).isEqualTo(
                "<|system|>\nYou are helpful.</s>\n<|user|>\nHi</s>\n<|assistant|>\nHello!</s>\n");
        assertThat(new ChatTemplateRenderer(template).render(CONVERSATION.subList(0, 2), true)).isEqualTo(
                "<|system|>\nYou are helpful.</s>\n<|user|>\nHi</s>\n<|assistant|>\n");
    }

    @Test
    void namedTemplateListForm() throws IOException {
        String json = """
                {"eos_token": "<eos>", "chat_template": [
                  {"name": "default", "template": "{% for m in messages %}[{{ m['role'] }}]{{ m['content'] }}{% endfor %}{{ eos_token }}"},
                  {"name": "tool_use", "template": "tools!"}
                ]}
                """;
        ChatTemplate def = TokenizerConfigTemplates.load(
                new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "cfg", "default");
        assertThat(new ChatTemplateRenderer(def).render(NO_SYSTEM.subList(0, 2), false))
                .isEqualTo("[user]Hi[assistant]Hello!<eos>");
        ChatTemplate tools = TokenizerConfigTemplates.load(
                new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "cfg", "tool_use");
        assertThat(new ChatTemplateRenderer(tools).render(NO_SYSTEM, false)).isEqualTo("tools!");
        assertThatThrownBy(() -> TokenizerConfigTemplates.load(
                new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "cfg", "rag"))
                .isInstanceOf(ChatTemplateException.class).hasMessageContaining("rag");
    }

    @Test
    void missingChatTemplateIsAClearError() {
        assertThatThrownBy(() -> TokenizerConfigTemplates.load(
                new ByteArrayInputStream("{\"eos_token\": \"</s>\"}".getBytes(StandardCharsets.UTF_8)), "cfg", null))
                .isInstanceOf(ChatTemplateException.class).hasMessageContaining("no chat_template");
    }
}
