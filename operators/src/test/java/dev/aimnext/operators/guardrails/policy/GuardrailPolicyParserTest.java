package dev.aimnext.operators.guardrails.policy;

import dev.aimnext.operators.guardrails.pii.PiiEntity;
import dev.aimnext.operators.guardrails.pii.policy.PiiAction;
import dev.aimnext.schemas.event.GuardrailStage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GuardrailPolicyParserTest {

    private static GuardrailPolicy parse(String yaml) {
        return GuardrailPolicyParser.parse(yaml, "p.yaml", Path.of("/policies"));
    }

    @Test
    void defaultPolicyBlocksInjectionAndToxicityAndMasksPii() {
        GuardrailPolicy policy = GuardrailPolicyParser.defaultPolicy();

        assertThat(policy.version()).isEqualTo("default-2");
        assertThat(policy.packs()).containsEntry("default", new PackReference("builtin:guard-minilm"));
        assertThat(policy.input()).extracting(ModelGuardrail::name).containsExactly("prompt_injection", "toxicity");
        assertThat(policy.input()).allSatisfy(g -> {
            assertThat(g.action()).isEqualTo(ModelAction.BLOCK);
            assertThat(g.threshold()).as("the pack's calibrated threshold").isNull();
            assertThat(g.pack()).isEqualTo("default");
        });
        assertThat(policy.input().get(0).onError()).isEqualTo(OnError.FAIL_CLOSED);
        assertThat(policy.modelGuardrails(GuardrailStage.OUTPUT)).extracting(ModelGuardrail::name)
                .containsExactly("toxicity");
        assertThat(policy.pii().actionFor(PiiEntity.EMAIL_ADDRESS)).isEqualTo(PiiAction.MASK);
        assertThat(policy.pii().version()).isEqualTo(policy.version());
    }

    @Test
    void readsEveryEntryField() {
        GuardrailPolicy policy = parse("""
                version: t-1
                on_error: fail_open
                packs:
                  default: builtin:guard-minilm
                  local: packs/toxic-bert
                  abs: /opt/packs/pi
                input:
                  - guardrail: prompt_injection
                    action: block
                    threshold: 0.83
                    on_error: fail_closed
                  - {guardrail: toxic, pack: local, action: report}
                output:
                  - guardrail: INJECTION
                    pack: abs
                    threshold: 1
                """);

        assertThat(policy.input()).containsExactly(
                new ModelGuardrail("prompt_injection", "default", ModelAction.BLOCK, 0.83, OnError.FAIL_CLOSED, "input[0]"),
                new ModelGuardrail("toxic", "local", ModelAction.REPORT, null, OnError.FAIL_OPEN, "input[1]"));
        assertThat(policy.output()).containsExactly(
                new ModelGuardrail("INJECTION", "abs", ModelAction.BLOCK, 1.0, OnError.FAIL_OPEN, "output[0]"));
        assertThat(policy.packs().get("local").spec()).isEqualTo("/policies/packs/toxic-bert");
        assertThat(policy.packs().get("abs").spec()).isEqualTo("/opt/packs/pi");
        assertThat(policy.packs().get("default").isBuiltin()).isTrue();
    }

    @Test
    void piiOnlyPolicyHasNoModelGuardrailsAndDefaultsToTheBuiltinPack() {
        GuardrailPolicy policy = parse("version: pii-only\npii:\n  default_action: redact\n");

        assertThat(policy.input()).isEmpty();
        assertThat(policy.output()).isEmpty();
        assertThat(policy.pii().actionFor(PiiEntity.EMAIL_ADDRESS)).isEqualTo(PiiAction.REDACT);
        assertThat(policy.packs()).containsOnlyKeys("default");
    }

    @Test
    void entriesWithoutOnErrorFailClosedAndWithoutActionBlock() {
        GuardrailPolicy policy = parse("version: x\ninput:\n  - guardrail: toxicity\n");

        assertThat(policy.input().get(0).onError()).isEqualTo(OnError.FAIL_CLOSED);
        assertThat(policy.input().get(0).action()).isEqualTo(ModelAction.BLOCK);
    }

    @Test
    void relativePackFoldersResolveAgainstThePolicyFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("sub/policy.yaml");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "version: x\npacks:\n  mine: ../packs/pi\ninput:\n  - {guardrail: pi, pack: mine}\n");

        GuardrailPolicy policy = GuardrailPolicyParser.parseFile(file);

        assertThat(Path.of(policy.packs().get("mine").spec())).isEqualTo(dir.resolve("packs/pi").toAbsolutePath());
        assertThat(policy.source()).isEqualTo(file.toString());
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            input: toxicity                                          | p.yaml: 'input' must be a list of model guardrails
            input: [toxicity]                                        | p.yaml: input[0] must be a mapping with at least 'guardrail'
            input: [{action: block}]                                 | p.yaml: input[0].guardrail is required: a score key of the pack
            input: [{guardrail: ''}]                                 | p.yaml: input[0].guardrail is required
            input: [{guardrail: [a]}]                                | p.yaml: 'input[0].guardrail' must be a scalar
            input: [{guardrail: t, thresold: 0.5}]                   | p.yaml: unknown key 'input[0].thresold'; expected one of
            input: [{guardrail: t, action: mask}]                    | p.yaml: input[0].action: unknown action 'mask'; a model guardrail scores the whole text, so expected block or report
            input: [{guardrail: t, threshold: 1.5}]                  | p.yaml: input[0].threshold must be a number within [0, 1]
            input: [{guardrail: t, threshold: -0.1}]                 | p.yaml: input[0].threshold must be a number within [0, 1]
            input: [{guardrail: t, threshold: high}]                 | p.yaml: input[0].threshold must be a number within [0, 1]
            input: [{guardrail: t, threshold: .nan}]                 | p.yaml: input[0].threshold must be a number within [0, 1]
            input: [{guardrail: t, on_error: ignore}]                | p.yaml: input[0].on_error: unknown value 'ignore'; expected fail_open or fail_closed
            input: [{guardrail: t, pack: other}]                     | p.yaml: input[0].pack: unknown pack 'other'; 'packs' defines [default]
            input: [{guardrail: t}, {guardrail: t}]                  | p.yaml: input[1].guardrail: 't' is already listed at input[0]
            output: [{guardrail: t}, {guardrail: u, on_error: 3}]    | p.yaml: output[1].on_error: unknown value '3'
            on_error: retry                                          | p.yaml: on_error: unknown value 'retry'; expected fail_open or fail_closed
            packs: builtin:guard-minilm                              | p.yaml: 'packs' must map pack names to builtin:<name> or a folder
            packs: {default: 'builtin:guard-large'}                  | p.yaml: packs.default: unknown built-in pack 'guard-large'; built-in packs: [guard-minilm, ner-minilm]
            packs: {default: ''}                                     | p.yaml: packs.default must name a pack: builtin:<name> or a folder
            packs: {default: [a, b]}                                 | p.yaml: 'packs.default' must be a scalar
            packs: {'my pack': /x}                                   | p.yaml: packs.my pack: a pack name may use letters, digits, '_' and '-'
            inputs: []                                               | p.yaml: unknown key 'inputs'
            """)
    void rejectsBadModelGuardrailsNamingTheField(String yaml, String message) {
        assertThatThrownBy(() -> parse("version: x\n" + yaml + "\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(message);
    }

    @Test
    void piiErrorsStillComeFromThePiiParser() {
        assertThatThrownBy(() -> parse("version: x\npii:\n  actions:\n    EMAIL_ADDRESS: shred\n"))
                .hasMessage("p.yaml: unknown PII action 'shred'; expected mask, redact, hash, block or report");
        assertThatThrownBy(() -> parse("input: [{guardrail: t}]\n"))
                .hasMessageContaining("'version' is required");
    }
}
