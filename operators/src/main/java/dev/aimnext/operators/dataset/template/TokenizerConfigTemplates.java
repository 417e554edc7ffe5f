package dev.aimnext.operators.dataset.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Reads a model's chat template and BOS/EOS tokens from its tokenizer_config.json.
 *
 * <p>{@code chat_template} may be a string or the list-of-named-templates form
 * ({@code [{"name": "default", "template": "..."}, {"name": "tool_use", ...}]}); from a list the
 * one named {@code default} is taken unless another name is asked for. Newer repositories keep
 * the template in a {@code chat_template.jinja} next to the config instead; {@link #load(Path)}
 * falls back to that file. {@code bos_token}/{@code eos_token} may be strings or AddedToken
 * objects ({@code {"content": "<s>", ...}}).
 */
public final class TokenizerConfigTemplates {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private TokenizerConfigTemplates() {
    }

    /** Loads the default template of the tokenizer_config.json at {@code path}. */
    public static ChatTemplate load(Path path) throws IOException {
        return load(path, "default");
    }

    /** Loads the named template (for the list form) of the tokenizer_config.json at {@code path}. */
    public static ChatTemplate load(Path path, String templateName) throws IOException {
        JsonNode root;
        try (InputStream in = Files.newInputStream(path)) {
            root = MAPPER.readTree(in);
        }
        Optional<String> source = chatTemplate(root, templateName);
        if (source.isEmpty()) {
            Path sibling = path.resolveSibling("chat_template.jinja");
            if (Files.isRegularFile(sibling)) {
                source = Optional.of(Files.readString(sibling, StandardCharsets.UTF_8));
            }
        }
        return fromJson(root, path.toString(), source);
    }

    /** Loads the named template from a tokenizer_config.json stream. */
    public static ChatTemplate load(InputStream in, String label, String templateName) throws IOException {
        JsonNode root = MAPPER.readTree(in);
        return fromJson(root, label, chatTemplate(root, templateName));
    }

    private static ChatTemplate fromJson(JsonNode root, String label, Optional<String> source) {
        if (root == null || !root.isObject()) {
            throw new ChatTemplateException(label + ": tokenizer_config.json is not a JSON object");
        }
        String template = source.orElseThrow(() -> new ChatTemplateException(
                label + ": tokenizer_config.json has no chat_template; choose a built-in template by name"));
        return new ChatTemplate(label, template, token(root.get("bos_token")), token(root.get("eos_token")));
    }

    private static Optional<String> chatTemplate(JsonNode root, String templateName) {
        JsonNode node = root == null ? null : root.get("chat_template");
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (node.isTextual()) {
            return Optional.of(node.asText());
        }
        if (node.isArray()) {
            String wanted = templateName == null ? "default" : templateName;
            for (JsonNode entry : node) {
                if (wanted.equals(entry.path("name").asText(null)) && entry.path("template").isTextual()) {
                    return Optional.of(entry.get("template").asText());
                }
            }
            throw new ChatTemplateException("chat_template list has no template named '" + wanted + "'");
        }
        throw new ChatTemplateException("chat_template must be a string or a list of {name, template}");
    }

    private static String token(JsonNode node) {
        if (node == null || node.isNull()) {
            return "";
        }
        if (node.isTextual()) {
            return node.asText();
        }
        if (node.isObject() && node.path("content").isTextual()) {
            return node.get("content").asText();
        }
        return "";
    }
}
