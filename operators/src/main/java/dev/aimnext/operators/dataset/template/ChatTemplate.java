package dev.aimnext.operators.dataset.template;

import java.io.Serializable;
import java.util.Objects;

/**
 * A chat template: the Jinja source (HuggingFace's {@code chat_template}) and the special tokens
 * it refers to as {@code bos_token} and {@code eos_token}.
 *
 * @param name a label for messages and the manifest, e.g. {@code chatml} or the tokenizer_config path
 * @param source the Jinja template
 * @param bosToken the value of {@code bos_token}; empty when the model has none
 * @param eosToken the value of {@code eos_token}; empty when the model has none
 */
public record ChatTemplate(String name, String source, String bosToken, String eosToken) implements Serializable {

    private static final long serialVersionUID = 1L;

    public ChatTemplate {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(source, "source");
        bosToken = bosToken == null ? "" : bosToken;
        eosToken = eosToken == null ? "" : eosToken;
    }
}
