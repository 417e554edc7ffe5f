package dev.aimnext.operators.dataset.template;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Resolves a template setting: a built-in name ({@code chatml}, {@code llama3}, ...) or a tokenizer_config.json path. */
public final class ChatTemplates {

    private ChatTemplates() {
    }

    public static ChatTemplate resolve(String nameOrPath) throws IOException {
        var builtIn = BuiltInTemplate.byName(nameOrPath);
        if (builtIn.isPresent()) {
            return builtIn.get().template();
        }
        Path path = Path.of(nameOrPath);
        if (Files.isDirectory(path)) {
            path = path.resolve("tokenizer_config.json");
        }
        if (!Files.isRegularFile(path)) {
            throw new ChatTemplateException("'" + nameOrPath + "' is neither a built-in chat template "
                    + "(chatml, llama3, mistral, gemma, phi3) nor a tokenizer_config.json");
        }
        return TokenizerConfigTemplates.load(path);
    }
}
