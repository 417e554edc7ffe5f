package dev.aimnext.schemas.json;

import dev.aimnext.schemas.codec.EventDecodingException;
import dev.aimnext.schemas.event.ChatMessage;
import dev.aimnext.schemas.event.InferenceRequest;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChatRequestJsonDecoderTest {

    private final ChatRequestJsonDecoder decoder = new ChatRequestJsonDecoder();
    private final RequestContext noHeaders = new RequestContext("fallback-1", null, null, null, 7L);

    @Test
    void decodesOpenAiChatRequest() throws Exception {
        InferenceRequest request = decoder.decode(
                "{\"id\":\"r-1\",\"model\":\"llama\",\"tenant\":\"acme\",\"temperature\":0.2,"
                        + "\"messages\":[{\"role\":\"system\",\"content\":\"be brief\"},"
                        + "{\"role\":\"user\",\"content\":\"hi\"}]}",
                noHeaders);

        assertThat(request.getRequestId()).isEqualTo("r-1");
        assertThat(request.getTenant()).isEqualTo("acme");
        assertThat(request.getModel()).isEqualTo("llama");
        assertThat(request.getRoute()).isEqualTo("/v1/chat/completions");
        assertThat(request.getMessages())
                .containsExactly(new ChatMessage("system", "be brief"), new ChatMessage("user", "hi"));
        assertThat(request.getParameters()).containsEntry("temperature", "0.2");
        assertThat(request.getReceivedAtMs()).isEqualTo(7L);
    }

    @Test
    void headersFillWhatTheBodyLacksAndBodyWins() throws Exception {
        RequestContext headers = new RequestContext("fallback", "hdr-id", "hdr-tenant", "/custom", 0L);

        InferenceRequest fromHeaders = decoder.decode("{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}", headers);
        InferenceRequest bodyWins = decoder.decode(
                "{\"request_id\":\"body-id\",\"tenant\":\"body-tenant\",\"prompt\":\"x\"}", headers);

        assertThat(fromHeaders.getRequestId()).isEqualTo("hdr-id");
        assertThat(fromHeaders.getTenant()).isEqualTo("hdr-tenant");
        assertThat(fromHeaders.getRoute()).isEqualTo("/custom");
        assertThat(bodyWins.getRequestId()).isEqualTo("body-id");
        assertThat(bodyWins.getTenant()).isEqualTo("body-tenant");
    }

    @Test
    void fallsBackToDeterministicIdAndDefaultTenant() throws Exception {
        InferenceRequest request = decoder.decode("{\"prompt\":\"complete this\"}", noHeaders);

        assertThat(request.getRequestId()).isEqualTo("fallback-1");
        assertThat(request.getTenant()).isEqualTo("default");
        assertThat(request.getRoute()).isEqualTo("/v1/completions");
        assertThat(request.getPrompt()).isEqualTo("complete this");
    }

    @Test
    void contentPartsJoinTextAndCollectImages() throws Exception {
        InferenceRequest request = decoder.decode(
                "{\"messages\":[{\"role\":\"user\",\"content\":["
                        + "{\"type\":\"text\",\"text\":\"what is\"},"
                        + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"s3://bucket/cat.png\"}},"
                        + "{\"type\":\"text\",\"text\":\"in this picture?\"}]}]}",
                noHeaders);

        assertThat(request.getMessages().get(0).getContent()).isEqualTo("what is\nin this picture?");
        assertThat(request.getImageRefs()).containsExactly("s3://bucket/cat.png");
    }

    @Test
    void malformedJsonNamesThePositionNotTheContent() {
        assertThatThrownBy(() -> decoder.decode("{\"messages\": [\"secret-4111111111111111\"", noHeaders))
                .isInstanceOf(EventDecodingException.class)
                .hasMessageStartingWith("malformed JSON at line 1 column")
                .hasMessageNotContaining("4111");
    }

    @Test
    void wrongShapesAreRejectedWithTheField() {
        assertThatThrownBy(() -> decoder.decode("[1,2]", noHeaders))
                .hasMessage("request must be a JSON object, got array");
        assertThatThrownBy(() -> decoder.decode("{\"messages\":\"hi\"}", noHeaders))
                .hasMessage("field 'messages' must be an array");
        assertThatThrownBy(() -> decoder.decode("{\"messages\":[{\"content\":\"hi\"}]}", noHeaders))
                .hasMessage("messages[0].role is missing");
        assertThatThrownBy(() -> decoder.decode("{\"messages\":[{\"role\":\"user\",\"content\":5}]}", noHeaders))
                .hasMessage("messages[0].content must be a string or a list of parts");
        assertThatThrownBy(() -> decoder.decode("{\"prompt\":{\"a\":1}}", noHeaders))
                .hasMessage("field 'prompt' must be a string");
    }

    @Test
    void unsupportedPartTypeIsNamedInAShortSafeForm() {
        String type = "x\\\"<script>" + "y".repeat(100);

        assertThatThrownBy(() -> decoder.decode(
                        "{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"" + type + "\"}]}]}", noHeaders))
                .hasMessage("messages[0].content[0] has unsupported part type 'xscriptyyyyyyyyyyyyyyyyy'");
    }

    @Test
    void deeplyNestedJsonIsRejected() {
        String nested = "{\"a\":" + "[".repeat(5000) + "]".repeat(5000) + "}";

        assertThatThrownBy(() -> decoder.decode(nested, noHeaders))
                .isInstanceOf(EventDecodingException.class)
                .extracting(e -> ((EventDecodingException) e).reasonCode())
                .isEqualTo("MALFORMED_JSON");
    }

    @Test
    void strictUtf8ReportsTheOffset() {
        byte[] bad = {'a', 'b', (byte) 0xC3, (byte) 0x28};

        assertThatThrownBy(() -> StrictUtf8.decode(bad))
                .hasMessage("invalid UTF-8 near byte offset 2");
    }
}
