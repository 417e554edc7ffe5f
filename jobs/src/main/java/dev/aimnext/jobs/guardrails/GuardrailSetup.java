package dev.aimnext.jobs.guardrails;

import dev.aimnext.operators.guardrails.engine.ModelPack;
import dev.aimnext.operators.guardrails.engine.PackTask;
import dev.aimnext.operators.guardrails.pii.NamedEntityOptions;
import dev.aimnext.operators.guardrails.pii.PiiGuardrail;
import dev.aimnext.operators.guardrails.pii.policy.PiiPolicy;
import dev.aimnext.operators.guardrails.policy.GuardrailPolicy;
import dev.aimnext.operators.guardrails.policy.GuardrailPolicyParser;
import dev.aimnext.operators.guardrails.policy.PackReference;
import dev.aimnext.operators.guardrails.policy.StageGuardrails;
import dev.aimnext.operators.guardrails.stage.ModelStageSettings;
import dev.aimnext.schemas.event.GuardrailStage;

import org.apache.flink.configuration.Configuration;

import java.nio.file.Path;

/**
 * What the guardrail job applies: the policy, its input model guardrails bound to their packs, and
 * how the model stage runs. {@link #fromConfiguration} checks all of it before the job is
 * submitted, so a bad policy, an unknown guardrail, a missing pack file or a missing hash secret
 * stops the start with a message that names it.
 *
 * @param policy the whole policy
 * @param inputModels the policy's {@code input} model guardrails, bound to their packs
 * @param modelSettings capacity, timeout, pack cache and engine settings of the model stage
 */
public record GuardrailSetup(GuardrailPolicy policy, StageGuardrails inputModels, ModelStageSettings modelSettings,
                             PackReference namedEntityPack) {

    /** PII only, as the policy says; no model stage. */
    public static GuardrailSetup piiOnly(PiiPolicy policy) {
        return new GuardrailSetup(GuardrailPolicy.piiOnly(policy), StageGuardrails.none(GuardrailStage.INPUT),
                ModelStageSettings.defaults(), null);
    }

    /** The policy file named in the configuration, or the built-in default, with its packs loaded and checked. */
    public static GuardrailSetup fromConfiguration(Configuration config) {
        GuardrailPolicy policy = config.getOptional(GuardrailOptions.POLICY_FILE)
                .map(file -> GuardrailPolicyParser.parseFile(Path.of(file)))
                .orElseGet(GuardrailPolicyParser::defaultPolicy);
        // A hashing policy without its secret must fail here, with the variable's name, rather
        // than in every task after deployment.
        new PiiGuardrail(policy.pii(), System::getenv).checkSecretsAvailable("default");
        ModelStageSettings settings = ModelStageSettings.of(config.get(GuardrailOptions.MODEL_CAPACITY),
                config.get(GuardrailOptions.MODEL_TIMEOUT), config.get(GuardrailOptions.PACK_CACHE_DIR), config);
        settings.engineSettings(); // an unknown provider fails here, listing the known ones
        var packs = StageGuardrails.packLoader(settings.packCache());
        // The job has no response stream yet and applies only 'input'; a broken 'output' list still fails the start.
        StageGuardrails.bind(policy, GuardrailStage.OUTPUT, packs);
        PackReference ner = NamedEntityOptions.nerPack(config).map(PackReference::new).orElse(null);
        if (ner != null) {
            // A missing or wrong pack fails the job here, naming it, not in every task.
            ModelPack pack = ModelPack.load(ner.resolve(settings.packCache()));
            if (pack.task() != PackTask.TOKEN_CLASSIFICATION) {
                throw new IllegalArgumentException(NamedEntityOptions.NER_PACK.key() + ": pack " + ner + " is a "
                        + pack.task().name().toLowerCase(java.util.Locale.ROOT) + " pack; a token_classification pack is needed");
            }
        }
        return new GuardrailSetup(policy, StageGuardrails.bind(policy, GuardrailStage.INPUT, packs), settings, ner);
    }
}
