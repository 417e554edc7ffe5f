package dev.aimnext.operators.guardrails.stage;

import dev.aimnext.schemas.event.ChatMessage;
import dev.aimnext.schemas.event.InferenceRequest;

import java.util.StringJoiner;

/** The text of a request that its input model guardrails score. */
public final class ModelInputText {

    private ModelInputText() {}

    /**
     * Every message except the assistant's, then the prompt, one per line. Assistant turns are the
     * model's own earlier output (the output stage's business); system, user and tool messages are
     * where an injection arrives, tool results included (indirect injection).
     */
    public static String of(InferenceRequest request) {
        StringJoiner text = new StringJoiner("\n");
        for (ChatMessage m : request.getMessages()) {
            if (!"assistant".equals(m.getRole())) {
                text.add(m.getContent());
            }
        }
        if (request.getPrompt() != null) {
            text.add(request.getPrompt());
        }
        return text.toString();
    }
}
