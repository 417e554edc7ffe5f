package dev.aimnext.operators.dataset.stage;

import dev.aimnext.operators.dataset.model.ChatMessage;
import dev.aimnext.operators.dataset.model.NormalizedConversation;
import dev.aimnext.operators.dataset.template.CharSpan;
import dev.aimnext.operators.dataset.tokenize.TokenizedConversation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * The output line of a kept row, in OpenAI's chat fine-tuning shape so that trainers and OpenAI's
 * own checks read it: {@code messages} of {@code {role, content}} ({@code weight} where the source
 * had one), then {@code rejected} for preference pairs, {@code tools}, the token counts and the
 * source row id. With a chat template the line also carries the rendered {@code text} and
 * {@code train_spans}, the {@code [start, end)} character ranges the loss trains on (the
 * prompt/completion mask in characters, valid for any tokenizer).
 */
public final class ConversationJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ConversationJson() {}

    public static String line(NormalizedConversation c, TokenizedConversation t) {
        ObjectNode root = MAPPER.createObjectNode();
        root.set("messages", messages(c.messages()));
        if (!c.rejected().isEmpty()) {
            root.set("rejected", messages(c.rejected()));
        }
        if (c.toolsJson() != null) {
            root.put("tools", c.toolsJson());
        }
        if (t.renderedText() != null) {
            root.put("text", t.renderedText());
            ArrayNode spans = root.putArray("train_spans");
            for (CharSpan span : t.assistantSpans()) {
                spans.addArray().add(span.start()).add(span.end());
            }
        }
        root.put("tokens", t.tokens());
        root.put("train_tokens", t.lossTokens());
        root.put("source", c.rowId());
        return root.toString();
    }

    private static ArrayNode messages(List<ChatMessage> messages) {
        ArrayNode out = MAPPER.createArrayNode();
        for (ChatMessage m : messages) {
            ObjectNode node = out.addObject();
            node.put("role", m.role().wireName());
            node.put("content", m.content());
            if (m.weight() != null) {
                node.put("weight", m.weight());
            }
        }
        return out;
    }

    /** A rejects line: {@code {"file", "row", "reasons":[...], "messages":[...]}}. */
    public static String rejectLine(DatasetReject r) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("file", r.file);
        root.put("row", r.rowId);
        ArrayNode reasons = root.putArray("reasons");
        r.reasons.forEach(reasons::add);
        ArrayNode messages = root.putArray("messages");
        r.messages.forEach(messages::add);
        return root.toString();
    }

    static JsonNode parse(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
