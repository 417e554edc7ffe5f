package dev.aimnext.operators.dataset.template;

import java.util.Locale;
import java.util.Optional;

/**
 * Chat templates shipped with the job, for models that come without a tokenizer_config.json.
 * Each is the {@code chat_template} its model repository publishes (Java string escapes stand for
 * the JSON escapes of tokenizer_config.json), or a faithful equivalent where Jinjava lacks a
 * Python-only construct; the deviations are noted per constant. All are rendered the way
 * transformers renders them: {@code trim_blocks} and {@code lstrip_blocks} on.
 */
public enum BuiltInTemplate {

    /** ChatML as published by OpenHermes / Qwen-style repos; no BOS, {@code <|im_end|>} ends each turn. */
    CHATML("chatml", "", "<|im_end|>",
            "{% for message in messages %}"
                    + "{{'<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n'}}"
                    + "{% endfor %}"
                    + "{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}"),

    /**
     * Meta-Llama-3(.1)-8B-Instruct's base template (without the 3.1 tool-calling preamble). Same
     * as published except {@code message['content'] | trim} is parenthesised, which is how Jinja
     * binds it anyway.
     */
    LLAMA3("llama3", "<|begin_of_text|>", "<|eot_id|>",
            "{% set loop_messages = messages %}"
                    + "{% for message in loop_messages %}"
                    + "{% set content = '<|start_header_id|>' + message['role'] + '<|end_header_id|>\n\n'"
                    + " + (message['content'] | trim) + '<|eot_id|>' %}"
                    + "{% if loop.index0 == 0 %}{% set content = bos_token + content %}{% endif %}"
                    + "{{ content }}"
                    + "{% endfor %}"
                    + "{% if add_generation_prompt %}{{ '<|start_header_id|>assistant<|end_header_id|>\n\n' }}{% endif %}"),

    /**
     * Mistral-7B-Instruct-v0.2/v0.3's template with the optional leading system message folded
     * into the first user turn. The published one slices {@code messages[1:]}; this one skips the
     * system message by index instead, with the same output and the same raise_exception checks.
     */
    MISTRAL("mistral", "<s>", "</s>",
            "{% if messages[0]['role'] == 'system' %}"
                    + "{% set system_message = messages[0]['content'] %}{% set offset = 1 %}"
                    + "{% else %}{% set offset = 0 %}{% endif %}"
                    + "{{ bos_token }}"
                    + "{% for message in messages %}{% if loop.index0 >= offset %}"
                    + "{% if (message['role'] == 'user') != ((loop.index0 - offset) % 2 == 0) %}"
                    + "{{ raise_exception('After the optional system message, conversation roles must alternate"
                    + " user/assistant/user/assistant/...') }}"
                    + "{% endif %}"
                    + "{% if message['role'] == 'user' %}"
                    + "{% if loop.index0 == offset and system_message is defined %}"
                    + "{{ ' [INST] ' + system_message + '\n\n' + message['content'] + ' [/INST]' }}"
                    + "{% else %}{{ ' [INST] ' + message['content'] + ' [/INST]' }}{% endif %}"
                    + "{% elif message['role'] == 'assistant' %}"
                    + "{{ ' ' + message['content'] + eos_token }}"
                    + "{% else %}"
                    + "{{ raise_exception('Only user and assistant roles are supported, with the exception of"
                    + " an initial optional system message!') }}"
                    + "{% endif %}"
                    + "{% endif %}{% endfor %}"),

    /**
     * Gemma's turn format ({@code <start_of_turn>user|model}). Without a system message the
     * output equals gemma-2-9b-it's published template; a leading system message is folded into
     * the first user turn followed by a blank line, as gemma-3's template does (gemma-2's raises).
     */
    GEMMA("gemma", "<bos>", "<eos>",
            "{{ bos_token }}"
                    + "{% if messages[0]['role'] == 'system' %}"
                    + "{% set first_user_prefix = (messages[0]['content'] | trim) + '\n\n' %}{% set offset = 1 %}"
                    + "{% else %}{% set first_user_prefix = '' %}{% set offset = 0 %}{% endif %}"
                    + "{% for message in messages %}{% if loop.index0 >= offset %}"
                    + "{% if (message['role'] == 'user') != ((loop.index0 - offset) % 2 == 0) %}"
                    + "{{ raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') }}"
                    + "{% endif %}"
                    + "{% if message['role'] == 'assistant' %}{% set role = 'model' %}"
                    + "{% else %}{% set role = message['role'] %}{% endif %}"
                    + "{{ '<start_of_turn>' + role + '\n'"
                    + " + (first_user_prefix if loop.index0 == offset else '') + (message['content'] | trim)"
                    + " + '<end_of_turn>\n' }}"
                    + "{% endif %}{% endfor %}"
                    + "{% if add_generation_prompt %}{{ '<start_of_turn>model\n' }}{% endif %}"),

    /** Phi-3-mini-4k-instruct's published template: {@code <|end|>} per turn, EOS after the last. */
    PHI3("phi3", "<s>", "<|endoftext|>",
            "{% for message in messages %}"
                    + "{% if message['role'] == 'system' %}{{'<|system|>\n' + message['content'] + '<|end|>\n'}}"
                    + "{% elif message['role'] == 'user' %}{{'<|user|>\n' + message['content'] + '<|end|>\n'}}"
                    + "{% elif message['role'] == 'assistant' %}{{'<|assistant|>\n' + message['content'] + '<|end|>\n'}}"
                    + "{% endif %}{% endfor %}"
                    + "{% if add_generation_prompt %}{{ '<|assistant|>\n' }}{% else %}{{ eos_token }}{% endif %}");

    private final String templateName;
    private final String bosToken;
    private final String eosToken;
    private final String source;

    BuiltInTemplate(String templateName, String bosToken, String eosToken, String source) {
        this.templateName = templateName;
        this.bosToken = bosToken;
        this.eosToken = eosToken;
        this.source = source;
    }

    /** The name settings select it by. */
    public String templateName() {
        return templateName;
    }

    public ChatTemplate template() {
        return new ChatTemplate(templateName, source, bosToken, eosToken);
    }

    /** Looks a template up by name, case-insensitively; {@code llama-3}, {@code phi-3} and {@code gemma2} also match. */
    public static Optional<BuiltInTemplate> byName(String name) {
        if (name == null) {
            return Optional.empty();
        }
        StringBuilder key = new StringBuilder();
        for (char c : name.trim().toLowerCase(Locale.ROOT).toCharArray()) {
            if (c != '-' && c != '_' && c != '.') {
                key.append(c);
            }
        }
        String k = key.toString();
        for (BuiltInTemplate t : values()) {
            if (t.templateName.equals(k)) {
                return Optional.of(t);
            }
        }
        return switch (k) {
            case "llama31", "llama32", "llama33" -> Optional.of(LLAMA3);
            case "gemma2", "gemma3" -> Optional.of(GEMMA);
            case "phi3mini", "phi35" -> Optional.of(PHI3);
            default -> Optional.empty();
        };
    }
}
