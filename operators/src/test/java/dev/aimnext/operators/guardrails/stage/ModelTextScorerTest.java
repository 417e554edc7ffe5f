package dev.aimnext.operators.guardrails.stage;

import dev.aimnext.operators.guardrails.engine.EngineSettings;
import dev.aimnext.operators.guardrails.policy.GuardrailPolicy;
import dev.aimnext.operators.guardrails.policy.GuardrailPolicyParser;
import dev.aimnext.operators.guardrails.policy.StageGuardrails;
import dev.aimnext.schemas.event.GuardrailStage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Offline scoring for {@code aim scan}: a failing text fails only itself, not its batch. */
class ModelTextScorerTest {

    @TempDir
    Path root;

    @Test
    void aTextThatFailsInferenceFailsAloneAndOthersKeepTheirScores() throws Exception {
        Path pack = BrittlePack.write(root.resolve("brittle"), 29_000, "ok", "brittle", "brittle-9");
        GuardrailPolicy policy = GuardrailPolicyParser.parse("version: x\npacks: {b: " + pack + "}\n"
                + "output: [{guardrail: brittle, pack: b, on_error: fail_open}]\n", "p.yaml", root);
        StageGuardrails stage = StageGuardrails.bind(policy, GuardrailStage.OUTPUT,
                StageGuardrails.packLoader(root.resolve("cache")));

        try (ModelTextScorer scorer = ModelTextScorer.open(stage, root.resolve("cache"), EngineSettings.defaults())) {
            List<ModelTextScorer.Scored> scored = scorer.score(
                    List.of("What is the capital of France?", "Is starbucks open on sunday?", "Thanks a lot"));

            assertThat(scorer.versions()).containsEntry("b", "brittle-9");
            assertThat(scored.get(0).scores()).containsOnlyKeys("ok", "brittle");
            assertThat(scored.get(0).failures()).isEmpty();
            assertThat(scored.get(1).scores()).isEmpty();
            assertThat(scored.get(1).failures()).containsEntry("b", "inference error: IllegalStateException");
            assertThat(scored.get(2).scores().get("brittle")).isEqualTo(scored.get(0).scores().get("brittle"));
        }
    }
}
