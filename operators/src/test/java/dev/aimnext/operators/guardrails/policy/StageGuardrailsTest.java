package dev.aimnext.operators.guardrails.policy;

import dev.aimnext.operators.guardrails.engine.BuiltinPacks;
import dev.aimnext.operators.guardrails.engine.ModelPack;
import dev.aimnext.schemas.event.GuardrailStage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Binding a policy's model guardrails to their packs, as the job does at start. */
class StageGuardrailsTest {

    @TempDir
    Path dir;

    private Function<PackReference, ModelPack> loader() {
        return StageGuardrails.packLoader(dir.resolve("cache"));
    }

    private GuardrailPolicy policy(String yaml) {
        return GuardrailPolicyParser.parse(yaml, "p.yaml", dir);
    }

    @Test
    void defaultPolicyTakesTheBuiltinPacksCalibratedThresholds() {
        GuardrailPolicy policy = GuardrailPolicyParser.defaultPolicy();
        ModelPack pack = ModelPack.load(BuiltinPacks.materialize(BuiltinPacks.GUARD_MINILM, dir.resolve("cache")));

        StageGuardrails input = StageGuardrails.bind(policy, GuardrailStage.INPUT, loader());

        assertThat(input.guardrails()).extracting(BoundGuardrail::name).containsExactly("prompt_injection", "toxicity");
        assertThat(input.guardrails().get(0).threshold()).isEqualTo(pack.thresholds().get("prompt_injection"));
        assertThat(input.guardrails().get(1).threshold()).isEqualTo(pack.thresholds().get("toxicity"));
        assertThat(input.guardrails().get(0).onError()).isEqualTo(OnError.FAIL_CLOSED);
        assertThat(input.packs()).containsOnlyKeys("default");
        assertThat(input.packs().get("default").version()).isEqualTo(pack.version());
        assertThat(input.versionsByScore()).containsEntry("prompt_injection", pack.version())
                .containsEntry("toxicity", pack.version());
        StageGuardrails output = StageGuardrails.bind(policy, GuardrailStage.OUTPUT, loader());
        assertThat(output.guardrails()).extracting(BoundGuardrail::name).containsExactly("toxicity");
    }

    @Test
    void policyThresholdOverridesThePack() {
        StageGuardrails input = StageGuardrails.bind(
                policy("version: x\ninput:\n  - {guardrail: toxicity, threshold: 0.91, action: report}\n"),
                GuardrailStage.INPUT, loader());

        assertThat(input.guardrails()).containsExactly(
                new BoundGuardrail("toxicity", "default", ModelAction.REPORT, 0.91, OnError.FAIL_CLOSED));
    }

    @Test
    void unknownGuardrailNamesTheFieldAndTheScoresThePackGives() {
        GuardrailPolicy policy = policy("version: x\ninput:\n  - guardrail: toxicity\n  - guardrail: jailbreak\n");

        assertThatThrownBy(() -> StageGuardrails.bind(policy, GuardrailStage.INPUT, loader()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("p.yaml: input[1].guardrail: pack 'default' (builtin:guard-minilm, version ")
                .hasMessageEndingWith(") gives no score 'jailbreak'; it gives [prompt_injection, toxicity]");
    }

    @Test
    void sequenceClassifierWithoutCalibratedThresholdNeedsOneInThePolicy() throws IOException {
        Path pack = classifierPack("toxic-bert", "{\"version\": \"tb-1\", \"thresholds\": {\"toxic\": 0.7}}", "toxic", "insult");
        String packs = "version: x\npacks:\n  tb: " + pack + "\n";

        StageGuardrails bound = StageGuardrails.bind(policy(packs + "input: [{guardrail: toxic, pack: tb}]\n"),
                GuardrailStage.INPUT, loader());
        assertThat(bound.guardrails().get(0).threshold()).isEqualTo(0.7);
        assertThat(bound.packs().get("tb").scoreKeys()).containsExactly("toxic", "insult");

        assertThatThrownBy(() -> StageGuardrails.bind(policy(packs + "input: [{guardrail: insult, pack: tb}]\n"),
                GuardrailStage.INPUT, loader()))
                .hasMessage("p.yaml: input[0].threshold: pack 'tb' has no calibrated threshold for 'insult'; "
                        + "set threshold in the policy");
        StageGuardrails explicit = StageGuardrails.bind(
                policy(packs + "input: [{guardrail: insult, pack: tb, threshold: 0.4}]\n"), GuardrailStage.INPUT, loader());
        assertThat(explicit.guardrails().get(0).threshold()).isEqualTo(0.4);
    }

    @Test
    void multiLabelHeadFallsBackToItsHeadThreshold() throws IOException {
        Path pack = copyOfBuiltin("multi");
        Files.writeString(pack.resolve("heads/harm.json"), "{\"labels\": [\"hate\", \"violence\"], "
                + "\"weights\": [[0.0], [0.0]], \"bias\": [0.0, 0.0], \"threshold\": 0.6}");
        Files.writeString(pack.resolve("aim-pack.json"),
                "{\"task\": \"encoder_heads\", \"version\": \"multi-1\", \"heads\": [\"heads/harm.json\"]}");

        StageGuardrails bound = StageGuardrails.bind(
                policy("version: x\npacks: {m: " + pack + "}\ninput: [{guardrail: harm/violence, pack: m}]\n"),
                GuardrailStage.INPUT, loader());

        assertThat(bound.guardrails().get(0).threshold()).isEqualTo(0.6);
        assertThat(bound.packs().get("m").scoreKeys()).containsExactly("harm/hate", "harm/violence");
    }

    @Test
    void brokenPacksFailNamingTheAliasTheEntryAndTheFile() throws IOException {
        Path missing = dir.resolve("nowhere");
        assertThatThrownBy(() -> StageGuardrails.bind(
                policy("version: x\npacks: {mine: " + missing + "}\ninput: [{guardrail: t, pack: mine}]\n"),
                GuardrailStage.INPUT, loader()))
                .hasMessage("p.yaml: packs.mine (" + missing + "), read by input[0]: model pack " + missing
                        + " is not a directory");

        Path noModel = copyOfBuiltin("no-model");
        Files.delete(noModel.resolve("model.onnx"));
        assertThatThrownBy(() -> StageGuardrails.bind(
                policy("version: x\npacks: {nm: " + noModel + "}\noutput: [{guardrail: toxicity, pack: nm}]\n"),
                GuardrailStage.OUTPUT, loader()))
                .hasMessageStartingWith("p.yaml: packs.nm (" + noModel + "), read by output[0]: ")
                .hasMessageContaining(noModel.resolve("model.onnx").toString());

        Path badHead = copyOfBuiltin("bad-head");
        Files.writeString(badHead.resolve("heads/toxicity.json"), "{\"labels\": [\"toxicity\"]}");
        assertThatThrownBy(() -> StageGuardrails.bind(
                policy("version: x\npacks: {bh: " + badHead + "}\ninput: [{guardrail: toxicity, pack: bh}]\n"),
                GuardrailStage.INPUT, loader()))
                .hasMessageContaining(badHead.resolve("heads/toxicity.json").toString());
    }

    @Test
    void twoPacksGivingTheSameScoreCannotShareAStage() throws IOException {
        Path copy = copyOfBuiltin("copy");
        GuardrailPolicy policy = policy("version: x\npacks: {other: " + copy + "}\n"
                + "input: [{guardrail: prompt_injection}, {guardrail: toxicity, pack: other}]\n");

        assertThatThrownBy(() -> StageGuardrails.bind(policy, GuardrailStage.INPUT, loader()))
                .hasMessage("p.yaml: input[1].pack: packs 'default' and 'other' both give a score "
                        + "'prompt_injection'; one stage can read only one of them");
    }

    @Test
    void loadsOnlyThePacksTheStageReadsAndEachOnce() throws IOException {
        Path copy = copyOfBuiltin("unused");
        List<PackReference> loads = new ArrayList<>();
        Function<PackReference, ModelPack> counting = ref -> {
            loads.add(ref);
            return loader().apply(ref);
        };
        GuardrailPolicy policy = policy("version: x\npacks: {unused: " + copy + "}\n"
                + "input: [{guardrail: prompt_injection}, {guardrail: toxicity}]\n");

        StageGuardrails input = StageGuardrails.bind(policy, GuardrailStage.INPUT, counting);
        StageGuardrails output = StageGuardrails.bind(policy, GuardrailStage.OUTPUT, counting);

        assertThat(loads).containsExactly(PackReference.DEFAULT);
        assertThat(input.packs()).containsOnlyKeys("default");
        assertThat(output.isEmpty()).isTrue();
        assertThat(output.packs()).isEmpty();
    }

    /** A sequence-classification pack; its model.onnx is never opened by binding. */
    private Path classifierPack(String name, String manifest, String... labels) throws IOException {
        Path pack = Files.createDirectories(dir.resolve(name));
        Files.writeString(pack.resolve("model.onnx"), "not opened when binding");
        Files.copy(BuiltinPacks.materialize(BuiltinPacks.GUARD_MINILM, dir.resolve("cache")).resolve("tokenizer.json"),
                pack.resolve("tokenizer.json"));
        StringBuilder id2label = new StringBuilder();
        for (int i = 0; i < labels.length; i++) {
            id2label.append(i == 0 ? "" : ",").append('"').append(i).append("\":\"").append(labels[i]).append('"');
        }
        Files.writeString(pack.resolve("config.json"), "{\"id2label\": {" + id2label + "}}");
        Files.writeString(pack.resolve("aim-pack.json"), manifest);
        return pack;
    }

    private Path copyOfBuiltin(String name) throws IOException {
        Path source = BuiltinPacks.materialize(BuiltinPacks.GUARD_MINILM, dir.resolve("cache"));
        Path target = dir.resolve(name);
        try (var files = Files.walk(source)) {
            for (Path p : files.toList()) {
                Path to = target.resolve(source.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(p, to);
                }
            }
        }
        return target;
    }
}
