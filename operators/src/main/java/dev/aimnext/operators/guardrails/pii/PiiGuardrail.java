package dev.aimnext.operators.guardrails.pii;

import dev.aimnext.operators.guardrails.pii.anonymize.Anonymizer;
import dev.aimnext.operators.guardrails.pii.anonymize.HmacPseudonymizer;
import dev.aimnext.operators.guardrails.pii.anonymize.MaskNumbering;
import dev.aimnext.operators.guardrails.pii.policy.PiiAction;
import dev.aimnext.operators.guardrails.pii.policy.PiiPolicy;
import dev.aimnext.operators.guardrails.pii.recognize.NamedEntityRecognizer;
import dev.aimnext.schemas.event.ChatMessage;
import dev.aimnext.schemas.event.GuardrailAction;
import dev.aimnext.schemas.event.GuardrailFinding;
import dev.aimnext.schemas.event.InferenceRequest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The PII guardrail: detects entities in every text of a request and applies the policy's action
 * to each. The outcome lists findings by position and type only; the raw values exist only inside
 * this call. Not thread-safe (it caches one HMAC per tenant); use one instance per task.
 */
public final class PiiGuardrail {

    public static final String NAME = "pii";

    private final PiiPolicy policy;
    private final PiiAnalyzer analyzer;
    private final Function<String, String> environment;
    private final Map<String, HmacPseudonymizer> hashers = new HashMap<>();

    /** @param environment looks up hash secrets, normally {@code System::getenv} */
    public PiiGuardrail(PiiPolicy policy, Function<String, String> environment) {
        this(policy, environment, null);
    }

    /**
     * @param namedEntities person/location/organisation/address spans from a NER pack, merged with
     *     the pattern spans; null keeps the guardrail pattern-only (the default)
     */
    public PiiGuardrail(PiiPolicy policy, Function<String, String> environment, NamedEntityRecognizer namedEntities) {
        this.policy = policy;
        PiiAnalyzer patterns = PiiAnalyzer.fromPolicy(policy);
        this.analyzer = namedEntities == null ? patterns : patterns.withNamedEntities(namedEntities);
        this.environment = environment;
    }

    public PiiPolicy policy() {
        return policy;
    }

    /** The result for a whole request; {@code forwarded} is null when the request is blocked. */
    public record RequestOutcome(
            GuardrailAction action, List<GuardrailFinding> findings, InferenceRequest forwarded) {}

    /** The result for one text, as {@code aim scan} reports it. */
    public record TextOutcome(GuardrailAction action, String text, List<GuardrailFinding> findings) {}

    public RequestOutcome check(InferenceRequest request) {
        if (!policy.enabled()) {
            return new RequestOutcome(GuardrailAction.ALLOW, List.of(), request);
        }
        MaskNumbering numbering = new MaskNumbering();
        List<GuardrailFinding> findings = new ArrayList<>();
        boolean[] changed = {false};
        boolean[] blocked = {false};
        List<ChatMessage> messages = new ArrayList<>(request.getMessages().size());
        for (int i = 0; i < request.getMessages().size(); i++) {
            ChatMessage message = request.getMessages().get(i);
            String rewritten =
                    scan("messages[" + i + "].content", message.getContent(), request.getTenant(),
                            numbering, findings, changed, blocked);
            messages.add(new ChatMessage(message.getRole(), rewritten));
        }
        String prompt = request.getPrompt();
        if (prompt != null) {
            prompt = scan("prompt", prompt, request.getTenant(), numbering, findings, changed, blocked);
        }
        if (blocked[0]) {
            return new RequestOutcome(GuardrailAction.BLOCK, findings, null);
        }
        if (!changed[0]) {
            return new RequestOutcome(GuardrailAction.ALLOW, findings, request);
        }
        InferenceRequest forwarded =
                InferenceRequest.newBuilder(request).setMessages(messages).setPrompt(prompt).build();
        return new RequestOutcome(GuardrailAction.REDACT, findings, forwarded);
    }

    public TextOutcome checkText(String text, String tenant) {
        if (!policy.enabled()) {
            return new TextOutcome(GuardrailAction.ALLOW, text, List.of());
        }
        List<GuardrailFinding> findings = new ArrayList<>();
        boolean[] changed = {false};
        boolean[] blocked = {false};
        String rewritten = scan("text", text, tenant, new MaskNumbering(), findings, changed, blocked);
        GuardrailAction action =
                blocked[0] ? GuardrailAction.BLOCK
                        : changed[0] ? GuardrailAction.REDACT : GuardrailAction.ALLOW;
        return new TextOutcome(action, rewritten, findings);
    }

    private String scan(
            String location,
            String text,
            String tenant,
            MaskNumbering numbering,
            List<GuardrailFinding> findings,
            boolean[] changed,
            boolean[] blocked) {
        List<PiiSpan> spans = analyzer.analyze(text);
        for (PiiSpan span : spans) {
            PiiAction action = policy.actionFor(span.entity());
            findings.add(
                    new GuardrailFinding(
                            NAME, span.entity().name(), span.score(), location, span.start(),
                            span.end(), action.wireName()));
            blocked[0] |= action == PiiAction.BLOCK;
            changed[0] |= action == PiiAction.MASK || action == PiiAction.REDACT
                    || action == PiiAction.HASH;
        }
        return Anonymizer.apply(text, spans, policy::actionFor, numbering, () -> hasher(tenant));
    }

    private HmacPseudonymizer hasher(String tenant) {
        return hashers.computeIfAbsent(
                tenant,
                t -> new HmacPseudonymizer(policy.hashSecrets().secretFor(t, environment)));
    }

    /** Fails fast, before any record, when a hashing policy has no secret for the default tenant. */
    public void checkSecretsAvailable(String tenant) {
        if (policy.enabled() && policy.usesHash()) {
            policy.hashSecrets().secretFor(tenant, environment);
        }
    }
}
