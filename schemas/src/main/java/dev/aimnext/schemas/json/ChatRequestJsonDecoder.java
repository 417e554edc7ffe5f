package dev.aimnext.schemas.json;

import dev.aimnext.schemas.codec.EventDecodingException;
import dev.aimnext.schemas.event.ChatMessage;
import dev.aimnext.schemas.event.InferenceRequest;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes OpenAI-style requests, as gateways emit them, into {@link InferenceRequest}:
 * {@code {model, messages:[{role, content}], ...}} or the completion form {@code {model, prompt}}.
 *
 * <p>Content may be a string or a list of parts ({@code {type:"text", text}} and {@code
 * {type:"image_url", image_url:{url}}}); text parts are joined with a newline and image URLs go to
 * {@code imageRefs}. Fields the guardrails do not read are kept as JSON text in {@code parameters}.
 *
 * <p>Error messages name the field and the position, never the value.
 */
public final class ChatRequestJsonDecoder implements Serializable {

    private static final long serialVersionUID = 1L;

    private static final String CHAT_ROUTE = "/v1/chat/completions";
    private static final String COMPLETION_ROUTE = "/v1/completions";

    private transient ObjectMapper mapper;

    public InferenceRequest decode(String json, RequestContext context)
            throws EventDecodingException {
        JsonNode root;
        try {
            root = mapper().readTree(json);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where =
                    at == null
                            ? ""
                            : " at line " + at.getLineNr() + " column " + at.getColumnNr();
            throw new EventDecodingException("MALFORMED_JSON", "malformed JSON" + where);
        }
        if (root == null || root.isMissingNode()) {
            throw new EventDecodingException("MALFORMED_JSON", "empty JSON document");
        }
        if (!root.isObject()) {
            throw new EventDecodingException(
                    "WRONG_SCHEMA",
                    "request must be a JSON object, got " + root.getNodeType().name().toLowerCase());
        }
        return fromObject((ObjectNode) root, context);
    }

    private InferenceRequest fromObject(ObjectNode root, RequestContext context)
            throws EventDecodingException {
        InferenceRequest.Builder request = InferenceRequest.newBuilder();
        request.setRequestId(
                firstNonBlank(
                        text(root, "request_id"),
                        text(root, "id"),
                        context.headerRequestId(),
                        context.fallbackRequestId()));
        request.setTenant(firstNonBlank(text(root, "tenant"), context.headerTenant(), "default"));
        request.setModel(firstNonBlank(text(root, "model"), ""));
        request.setConversationId(
                firstNonBlank(text(root, "conversation_id"), text(root, "conversationId")));

        List<ChatMessage> messages = new ArrayList<>();
        List<String> images = new ArrayList<>();
        JsonNode messagesNode = root.get("messages");
        if (messagesNode != null && !messagesNode.isNull()) {
            if (!messagesNode.isArray()) {
                throw new EventDecodingException(
                        "WRONG_SCHEMA", "field 'messages' must be an array");
            }
            for (int i = 0; i < messagesNode.size(); i++) {
                messages.add(message(messagesNode.get(i), i, images));
            }
        }
        request.setMessages(messages);
        request.setImageRefs(images);

        JsonNode prompt = root.get("prompt");
        if (prompt != null && !prompt.isNull()) {
            if (!prompt.isTextual()) {
                throw new EventDecodingException("WRONG_SCHEMA", "field 'prompt' must be a string");
            }
            request.setPrompt(prompt.asText());
        }
        String defaultRoute = messages.isEmpty() && prompt != null ? COMPLETION_ROUTE : CHAT_ROUTE;
        request.setRoute(firstNonBlank(text(root, "route"), context.headerRoute(), defaultRoute));

        JsonNode received = root.get("received_at_ms");
        request.setReceivedAtMs(
                received != null && received.canConvertToLong()
                        ? received.asLong()
                        : context.timestampMs());
        request.setParameters(otherFields(root));
        return request.build();
    }

    private static ChatMessage message(JsonNode node, int index, List<String> images)
            throws EventDecodingException {
        String where = "messages[" + index + "]";
        if (node == null || !node.isObject()) {
            throw new EventDecodingException("WRONG_SCHEMA", where + " must be an object");
        }
        JsonNode role = node.get("role");
        if (role == null || !role.isTextual() || role.asText().isBlank()) {
            throw new EventDecodingException("WRONG_SCHEMA", where + ".role is missing");
        }
        JsonNode content = node.get("content");
        String text;
        if (content == null || content.isNull()) {
            text = "";
        } else if (content.isTextual()) {
            text = content.asText();
        } else if (content.isArray()) {
            text = contentParts(content, where, images);
        } else {
            throw new EventDecodingException(
                    "WRONG_SCHEMA", where + ".content must be a string or a list of parts");
        }
        return new ChatMessage(role.asText(), text);
    }

    private static String contentParts(JsonNode parts, String where, List<String> images)
            throws EventDecodingException {
        StringBuilder text = new StringBuilder();
        for (int p = 0; p < parts.size(); p++) {
            JsonNode part = parts.get(p);
            String type = part.path("type").asText("");
            if ("text".equals(type) && part.path("text").isTextual()) {
                if (text.length() > 0) {
                    text.append('\n');
                }
                text.append(part.get("text").asText());
            } else if ("image_url".equals(type)) {
                String url = part.path("image_url").path("url").asText("");
                if (!url.isEmpty()) {
                    images.add(url);
                }
            } else {
                throw new EventDecodingException(
                        "WRONG_SCHEMA",
                        where + ".content[" + p + "] has unsupported part type '"
                                + safeToken(type) + "'");
            }
        }
        return text.toString();
    }

    private static Map<String, String> otherFields(ObjectNode root) {
        Map<String, String> params = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = root.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            switch (field.getKey()) {
                case "request_id", "id", "tenant", "model", "messages", "prompt", "route",
                        "conversation_id", "conversationId", "received_at_ms" -> { }
                default -> params.put(field.getKey(), field.getValue().toString());
            }
        }
        return params;
    }

    private static String text(JsonNode root, String field) {
        JsonNode node = root.get(field);
        return node != null && node.isValueNode() && !node.isNull() ? node.asText() : null;
    }

    private static String firstNonBlank(String... values) {
        for (String value : values) {
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        return null;
    }

    /**
     * Part types are enumerations, but an attacker controls them; keep only a short safe form. A
     * plain loop, not a regex: untrusted text never meets java.util.regex in this project.
     */
    private static String safeToken(String type) {
        StringBuilder cleaned = new StringBuilder(24);
        for (int i = 0; i < type.length() && cleaned.length() < 24; i++) {
            char c = type.charAt(i);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_') {
                cleaned.append(c);
            }
        }
        return cleaned.toString();
    }

    private ObjectMapper mapper() {
        if (mapper == null) {
            mapper = new ObjectMapper();
            // Deeply nested JSON is a cheap way to burn a parser's stack.
            mapper.getFactory()
                    .setStreamReadConstraints(
                            StreamReadConstraints.builder().maxNestingDepth(64).build());
        }
        return mapper;
    }
}
