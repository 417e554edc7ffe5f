package dev.aimnext.operators.guardrails.pii;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.aimnext.operators.guardrails.pii.anonymize.HmacPseudonymizer;
import dev.aimnext.operators.guardrails.pii.policy.PiiPolicy;
import dev.aimnext.operators.guardrails.pii.policy.PiiPolicyParser;
import dev.aimnext.schemas.event.ChatMessage;
import dev.aimnext.schemas.event.GuardrailAction;
import dev.aimnext.schemas.event.GuardrailFinding;
import dev.aimnext.schemas.event.InferenceRequest;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

class PiiGuardrailTest {

    private static final Function<String, String> NO_ENV = name -> null;

    private static final String HASH_POLICY = """
            version: hash-1
            pii:
              default_action: hash
              hash:
                secret_env: AIM_PII_SECRET
                tenants:
                  globex: {secret_env: GLOBEX_PII_SECRET}
            """;

    private static final Function<String, String> HASH_ENV =
            Map.of("AIM_PII_SECRET", "default-secret", "GLOBEX_PII_SECRET", "globex-secret")::get;

    private static PiiGuardrail guardrail(String yaml, Function<String, String> env) {
        return new PiiGuardrail(PiiPolicyParser.parse(yaml, "test"), env);
    }

    private static PiiGuardrail defaults() {
        return new PiiGuardrail(PiiPolicyParser.defaultPolicy(), NO_ENV);
    }

    private static InferenceRequest request(String tenant, String... userTexts) {
        List<ChatMessage> messages = new ArrayList<>();
        messages.add(new ChatMessage("system", "You are a helpful assistant."));
        for (String text : userTexts) {
            messages.add(new ChatMessage("user", text));
        }
        return InferenceRequest.newBuilder()
                .setRequestId("req-1")
                .setTenant(tenant)
                .setMessages(messages)
                .build();
    }

    @Test
    void theDefaultPolicyMasksContactDetailsAndRedactsCards() {
        String text = "Mail jane@example.com or call +44 20 7946 0958; card 4111 1111 1111 1111.";

        PiiGuardrail.TextOutcome outcome = defaults().checkText(text, "acme");

        assertThat(outcome.action()).isEqualTo(GuardrailAction.REDACT);
        assertThat(outcome.text()).isEqualTo("Mail [EMAIL_ADDRESS_1] or call [PHONE_NUMBER_1]; card .");
        assertThat(outcome.findings())
                .extracting(GuardrailFinding::getGuardrail, GuardrailFinding::getType,
                        GuardrailFinding::getLocation, GuardrailFinding::getStart, GuardrailFinding::getEnd,
                        GuardrailFinding::getTreatment)
                .containsExactly(
                        tuple("pii", "EMAIL_ADDRESS", "text", 5, 21, "mask"),
                        tuple("pii", "PHONE_NUMBER", "text", 30, 46, "mask"),
                        tuple("pii", "CREDIT_CARD", "text", 53, 72, "redact"));
    }

    @Test
    void maskNumbersAreSharedByAllMessagesOfARequest() {
        InferenceRequest request = request("acme",
                "I am a@example.com and my colleague is b@example.com.",
                "Please write to a@example.com first.");

        PiiGuardrail.RequestOutcome outcome = defaults().check(request);

        assertThat(outcome.action()).isEqualTo(GuardrailAction.REDACT);
        assertThat(outcome.forwarded().getMessages())
                .extracting(ChatMessage::getRole, ChatMessage::getContent)
                .containsExactly(
                        tuple("system", "You are a helpful assistant."),
                        tuple("user", "I am [EMAIL_ADDRESS_1] and my colleague is [EMAIL_ADDRESS_2]."),
                        tuple("user", "Please write to [EMAIL_ADDRESS_1] first."));
        assertThat(outcome.findings())
                .extracting(GuardrailFinding::getLocation, GuardrailFinding::getStart)
                .containsExactly(
                        tuple("messages[1].content", 5),
                        tuple("messages[1].content", 39),
                        tuple("messages[2].content", 16));
        // The incoming request itself is left alone.
        assertThat(request.getMessages().get(1).getContent()).contains("a@example.com");
    }

    @Test
    void aRequestWithoutPiiIsForwardedUnchanged() {
        InferenceRequest request = request("acme", "What is the difference between TCP and UDP?");

        PiiGuardrail.RequestOutcome outcome = defaults().check(request);

        assertThat(outcome.action()).isEqualTo(GuardrailAction.ALLOW);
        assertThat(outcome.findings()).isEmpty();
        assertThat(outcome.forwarded()).isSameAs(request);
    }

    @Test
    void aSecretBlocksTheWholeRequest() {
        String token = "ghp_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8";
        InferenceRequest request = request("acme", "Clone with " + token + " for me, I am a@example.com");

        PiiGuardrail.RequestOutcome outcome = defaults().check(request);

        assertThat(outcome.action()).isEqualTo(GuardrailAction.BLOCK);
        assertThat(outcome.forwarded()).isNull();
        assertThat(outcome.findings())
                .extracting(GuardrailFinding::getType, GuardrailFinding::getTreatment)
                .containsExactly(tuple("GITHUB_TOKEN", "block"), tuple("EMAIL_ADDRESS", "mask"));
    }

    @Test
    void checkTextReportsABlockToo() {
        String text = "key AKIAIOSFODNN7EXAMPLE";

        PiiGuardrail.TextOutcome outcome = defaults().checkText(text, "acme");

        assertThat(outcome.action()).isEqualTo(GuardrailAction.BLOCK);
        assertThat(outcome.findings())
                .extracting(GuardrailFinding::getType, GuardrailFinding::getStart, GuardrailFinding::getEnd,
                        GuardrailFinding::getTreatment)
                .containsExactly(tuple("AWS_ACCESS_KEY", 4, 24, "block"));
    }

    @Test
    void reportRecordsFindingsButForwardsTheTextAsItIs() {
        PiiGuardrail guardrail = guardrail("""
                version: rollout-1
                pii:
                  default_action: report
                """, NO_ENV);
        String text = "Mail jane@example.com, SSN 536-90-4399";

        PiiGuardrail.TextOutcome outcome = guardrail.checkText(text, "acme");

        assertThat(outcome.action()).isEqualTo(GuardrailAction.ALLOW);
        assertThat(outcome.text()).isEqualTo(text);
        assertThat(outcome.findings())
                .extracting(GuardrailFinding::getType, GuardrailFinding::getTreatment)
                .containsExactly(tuple("EMAIL_ADDRESS", "report"), tuple("US_SSN", "report"));
    }

    @Test
    void redactRemovesEveryValue() {
        PiiGuardrail guardrail = guardrail("""
                version: strict-1
                pii:
                  default_action: redact
                """, NO_ENV);

        PiiGuardrail.TextOutcome outcome =
                guardrail.checkText("Mail jane@example.com, SSN 536-90-4399.", "acme");

        assertThat(outcome.action()).isEqualTo(GuardrailAction.REDACT);
        assertThat(outcome.text()).isEqualTo("Mail , SSN .");
    }

    @Test
    void hashUsesTheTenantsOwnSecret() {
        PiiGuardrail guardrail = guardrail(HASH_POLICY, HASH_ENV);
        String text = "Mail jane@example.com";

        String acme = guardrail.checkText(text, "acme").text();
        String acmeAgain = guardrail.checkText(text, "acme").text();
        String globex = guardrail.checkText(text, "globex").text();
        String initech = guardrail.checkText(text, "initech").text();

        String defaultToken = new HmacPseudonymizer("default-secret".getBytes(StandardCharsets.UTF_8))
                .token(PiiEntity.EMAIL_ADDRESS, "jane@example.com");
        String globexToken = new HmacPseudonymizer("globex-secret".getBytes(StandardCharsets.UTF_8))
                .token(PiiEntity.EMAIL_ADDRESS, "jane@example.com");
        assertThat(acme).isEqualTo("Mail " + defaultToken).isEqualTo(acmeAgain).isEqualTo(initech);
        assertThat(globex).isEqualTo("Mail " + globexToken).isNotEqualTo(acme);
        assertThat(guardrail.checkText(text, "acme").action()).isEqualTo(GuardrailAction.REDACT);
        assertThat(guardrail.checkText(text, "acme").findings())
                .extracting(GuardrailFinding::getTreatment)
                .containsExactly("hash");
    }

    @Test
    void hashingWithoutItsSecretFailsNamingTheVariableNotAValue() {
        PiiGuardrail guardrail = guardrail(HASH_POLICY, NO_ENV);

        assertThatThrownBy(() -> guardrail.checkSecretsAvailable("default"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("AIM_PII_SECRET");
        assertThatThrownBy(() -> guardrail.checkText("Mail jane@example.com", "globex"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("GLOBEX_PII_SECRET");
        // Without any PII there is nothing to hash and no secret is needed.
        assertThat(guardrail.checkText("nothing here", "globex").action()).isEqualTo(GuardrailAction.ALLOW);
    }

    @Test
    void aDisabledPolicyAllowsEverything() {
        PiiGuardrail guardrail = guardrail("""
                version: off-1
                pii:
                  enabled: false
                """, NO_ENV);
        InferenceRequest request = request("acme", "Mail jane@example.com");

        assertThat(guardrail.check(request).forwarded()).isSameAs(request);
        assertThat(guardrail.check(request).findings()).isEmpty();
        assertThat(guardrail.checkText("Mail jane@example.com", "acme").action())
                .isEqualTo(GuardrailAction.ALLOW);
    }

    @Test
    void thePromptOfACompletionRequestIsScannedToo() {
        InferenceRequest request = InferenceRequest.newBuilder()
                .setRequestId("req-2")
                .setTenant("acme")
                .setPrompt("Complete: my email is jane@example.com")
                .build();

        PiiGuardrail.RequestOutcome outcome = defaults().check(request);

        assertThat(outcome.forwarded().getPrompt()).isEqualTo("Complete: my email is [EMAIL_ADDRESS_1]");
        assertThat(outcome.findings()).extracting(GuardrailFinding::getLocation).containsExactly("prompt");
    }

    @Test
    void policyAccessorReturnsThePolicy() {
        PiiPolicy policy = PiiPolicyParser.defaultPolicy();

        assertThat(new PiiGuardrail(policy, NO_ENV).policy()).isSameAs(policy);
    }
}
