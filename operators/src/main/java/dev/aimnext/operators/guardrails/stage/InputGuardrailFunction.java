package dev.aimnext.operators.guardrails.stage;

import dev.aimnext.operators.guardrails.engine.EngineRegistry;
import dev.aimnext.operators.guardrails.pii.PiiGuardrail;
import dev.aimnext.operators.guardrails.pii.recognize.NamedEntityRecognizer;
import dev.aimnext.operators.guardrails.policy.PackReference;
import dev.aimnext.operators.guardrails.policy.GuardrailPolicy;
import dev.aimnext.operators.guardrails.policy.ModelDecision;
import dev.aimnext.operators.guardrails.policy.StageGuardrails;
import dev.aimnext.schemas.event.GuardrailAction;
import dev.aimnext.schemas.event.GuardrailFinding;
import dev.aimnext.schemas.event.GuardrailStage;
import dev.aimnext.schemas.event.GuardrailVerdict;
import dev.aimnext.schemas.event.InferenceRequest;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Applies the input guardrails to each scored request and emits exactly one {@link
 * GuardrailVerdict} per request on the main output. A request is blocked when a model guardrail
 * blocks it (by score, or by failing closed) or when PII policy blocks it; otherwise PII is
 * masked as the policy says. Requests that may proceed (allowed or redacted) go to the {@link
 * #FORWARDED} side output; a blocked request produces only its verdict.
 *
 * <p>The verdict carries every score the stage's packs gave (plus {@code pii}, the top PII
 * score), the pack version per score, and a reason that names the guardrails that decided.
 */
public class InputGuardrailFunction extends ProcessFunction<ScoredRequest, GuardrailVerdict> {

    private static final long serialVersionUID = 1L;

    /** Requests that passed, possibly redacted, bound for {@code aim.requests.allowed}. */
    public static final OutputTag<InferenceRequest> FORWARDED =
            new OutputTag<>("forwarded-requests", new AvroTypeInfo<>(InferenceRequest.class));

    /** Location of a model finding: the request's model text ({@link ModelInputText}). */
    static final String MODEL_LOCATION = "request";

    private final GuardrailPolicy policy;
    private final StageGuardrails models;
    private final PackReference namedEntityPack;
    private final ModelStageSettings settings;

    private transient PiiGuardrail pii;
    private transient EngineRegistry.Lease namedEntityEngine;
    private transient GuardrailMetrics metrics;
    private transient Map<String, String> versions;

    /**
     * @param models the policy's input model guardrails, bound to their packs; {@link
     *     StageGuardrails#none} for PII only
     */
    public InputGuardrailFunction(GuardrailPolicy policy, StageGuardrails models) {
        this(policy, models, null, ModelStageSettings.defaults());
    }

    /**
     * @param namedEntityPack a token-classification pack whose PERSON, LOCATION, ORGANIZATION and
     *     ADDRESS spans join the PII findings; null for the pattern recognizers only
     * @param settings where built-in packs are written and the engine settings
     */
    public InputGuardrailFunction(GuardrailPolicy policy, StageGuardrails models, PackReference namedEntityPack,
                                  ModelStageSettings settings) {
        this.policy = policy;
        this.models = models;
        this.namedEntityPack = namedEntityPack;
        this.settings = settings;
    }

    @Override
    public void open(OpenContext openContext) {
        if (namedEntityPack == null) {
            pii = new PiiGuardrail(policy.pii(), System::getenv);
        } else {
            // One engine per pack per TaskManager, shared by the slots; warmed up here so the first
            // request does not pay for the session.
            namedEntityEngine = EngineRegistry.shared()
                    .acquire(namedEntityPack.resolve(settings.packCache()), settings.engineSettings());
            namedEntityEngine.engine().warmUp();
            pii = new PiiGuardrail(policy.pii(), System::getenv, NamedEntityRecognizer.of(namedEntityEngine.engine()));
        }
        metrics = new GuardrailMetrics(getRuntimeContext().getMetricGroup(), "input", models.guardrails());
        versions = models.versionsByScore();
    }

    @Override
    public void close() {
        if (namedEntityEngine != null) {
            namedEntityEngine.close();
            namedEntityEngine = null;
        }
    }

    @Override
    public void processElement(ScoredRequest scored, Context ctx, Collector<GuardrailVerdict> out) {
        long started = System.nanoTime();
        InferenceRequest request = scored.request;
        PiiGuardrail.RequestOutcome outcome = pii.check(request);
        ModelDecision model = ModelDecision.decide(models, scored.scores, scored.failures);
        boolean blocked = model.blocked() || outcome.action() == GuardrailAction.BLOCK;
        GuardrailAction action = blocked ? GuardrailAction.BLOCK : outcome.action();
        long micros = (System.nanoTime() - started) / 1_000 + scored.modelMicros;

        Map<String, Double> scores = new HashMap<>(scored.scores);
        double top = 0;
        for (GuardrailFinding finding : outcome.findings()) {
            top = Math.max(top, finding.getScore());
            metrics.finding(finding.getType());
        }
        scores.put(PiiGuardrail.NAME, top);
        Map<String, String> modelVersions = new HashMap<>();
        scored.scores.keySet().forEach(k -> modelVersions.put(k, versions.getOrDefault(k, "unknown")));
        List<GuardrailFinding> findings = new ArrayList<>(outcome.findings());
        if (!model.triggered().isEmpty()) {
            findings.addAll(ModelFindings.of(model, MODEL_LOCATION, ModelInputText.of(request).length()));
        }
        metrics.record(action, micros);
        metrics.model(model);

        out.collect(
                GuardrailVerdict.newBuilder()
                        .setRequestId(request.getRequestId())
                        .setTenant(request.getTenant())
                        .setStage(GuardrailStage.INPUT)
                        .setAction(action)
                        .setFindings(findings)
                        .setScores(scores)
                        .setModelVersions(modelVersions)
                        .setPolicyVersion(policy.version())
                        .setLatencyMicros(micros)
                        .setDecidedAtMs(System.currentTimeMillis())
                        .setReason(VerdictReasons.summarize(action, outcome.findings(), model.reasonParts()))
                        .build());
        if (!blocked && outcome.forwarded() != null) {
            ctx.output(FORWARDED, outcome.forwarded());
        }
    }
}
