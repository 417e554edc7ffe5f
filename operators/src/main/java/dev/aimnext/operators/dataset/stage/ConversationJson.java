package dev.aimnext.operators.dataset.stage;

import dev.aimnext.operators.dataset.model.ChatMessage;
import dev.aimnext.operators.dataset.model.NormalizedConversation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * The output line of a kept row, in OpenAI's chat fine-tuning shape so that trainers and OpenAI's
 * own checks read it: {@code messages} of {@code {role, content}} ({@code weight} where the source
 * had one), then {@code rejected} for preference pairs, {@code tools}, the token estimate and the
 * source row id.
 */
public final class ConversationJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ConversationJson() {}

    public static String line(NormalizedConversation c, int tokens) {
        ObjectNode root = MAPPER.createObjectNode();
        root.set("messages", messages(c.messages()));
        if (!c.rejected().isEmpty()) {
            root.set("rejected", messages(c.rejected()));
        }
        if (c.toolsJson() != null) {
            root.put("tools", c.toolsJson());
        }
        root.put("tokens", tokens);
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
