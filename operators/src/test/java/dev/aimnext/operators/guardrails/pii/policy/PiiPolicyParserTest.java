package dev.aimnext.operators.guardrails.pii.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aimnext.operators.guardrails.pii.PiiEntity;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

class PiiPolicyParserTest {

    private static final String VALID = """
            version: acme-7
            tenant: acme
            description: Strict policy for the billing team.
            pii:
              enabled: true
              threshold: 0.6
              context_window_words: 3
              phone_regions: [us, gb]
              default_action: redact
              actions:
                EMAIL_ADDRESS: mask
                phone_number: HASH
                SECRET: block
                JWT: report
              hash:
                secret_env: AIM_PII_SECRET
                tenants:
                  globex: {secret_env: GLOBEX_PII_SECRET}
                  demo: {secret: not-for-production}
            """;

    @Test
    void parsesAValidFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("policy.yaml");
        Files.writeString(file, VALID, StandardCharsets.UTF_8);

        PiiPolicy policy = PiiPolicyParser.parseFile(file);

        assertThat(policy.version()).isEqualTo("acme-7");
        assertThat(policy.enabled()).isTrue();
        assertThat(policy.threshold()).isEqualTo(0.6);
        assertThat(policy.contextWindowWords()).isEqualTo(3);
        assertThat(policy.phoneRegions()).containsExactly("US", "GB");
        assertThat(policy.defaultAction()).isEqualTo(PiiAction.REDACT);
        assertThat(policy.usesHash()).isTrue();
    }

    @Test
    void actionsResolveFromEntityThenFamilyThenDefault() {
        PiiPolicy policy = PiiPolicyParser.parse(VALID, "inline");

        assertThat(policy.actionFor(PiiEntity.EMAIL_ADDRESS)).isEqualTo(PiiAction.MASK);
        assertThat(policy.actionFor(PiiEntity.PHONE_NUMBER)).isEqualTo(PiiAction.HASH);
        assertThat(policy.actionFor(PiiEntity.JWT)).isEqualTo(PiiAction.REPORT);
        assertThat(policy.actionFor(PiiEntity.GITHUB_TOKEN)).isEqualTo(PiiAction.BLOCK);
        assertThat(policy.actionFor(PiiEntity.PRIVATE_KEY)).isEqualTo(PiiAction.BLOCK);
        assertThat(policy.actionFor(PiiEntity.CREDIT_CARD)).isEqualTo(PiiAction.REDACT);
        assertThat(policy.actionFor(PiiEntity.IBAN_CODE)).isEqualTo(PiiAction.REDACT);
    }

    @Test
    void hashSecretsArePerTenantWithTheDefaultForOthers() {
        HashSecrets secrets = PiiPolicyParser.parse(VALID, "inline").hashSecrets();
        Map<String, String> env = Map.of("AIM_PII_SECRET", "s-default", "GLOBEX_PII_SECRET", "s-globex");

        assertThat(new String(secrets.secretFor("acme", env::get), StandardCharsets.UTF_8)).isEqualTo("s-default");
        assertThat(new String(secrets.secretFor("globex", env::get), StandardCharsets.UTF_8)).isEqualTo("s-globex");
        assertThat(new String(secrets.secretFor("demo", env::get), StandardCharsets.UTF_8))
                .isEqualTo("not-for-production");
        assertThatThrownBy(() -> secrets.secretFor("globex", Map.<String, String>of()::get))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("GLOBEX_PII_SECRET")
                .hasMessageNotContaining("s-globex");
    }

    @Test
    void theBundledDefaultPolicyParses() {
        PiiPolicy policy = PiiPolicyParser.defaultPolicy();

        assertThat(policy.version()).isEqualTo("default-2");
        assertThat(policy.enabled()).isTrue();
        assertThat(policy.threshold()).isEqualTo(0.5);
        assertThat(policy.contextWindowWords()).isEqualTo(5);
        assertThat(policy.phoneRegions()).containsExactly("US", "GB", "DE", "FR", "IN", "CA", "AU");
        assertThat(policy.actionFor(PiiEntity.EMAIL_ADDRESS)).isEqualTo(PiiAction.MASK);
        assertThat(policy.actionFor(PiiEntity.CREDIT_CARD)).isEqualTo(PiiAction.REDACT);
        assertThat(policy.actionFor(PiiEntity.AWS_ACCESS_KEY)).isEqualTo(PiiAction.BLOCK);
        assertThat(policy.usesHash()).isFalse();
    }

    @Test
    void aMinimalPolicyUsesTheDefaults() {
        PiiPolicy policy = PiiPolicyParser.parse("version: v1\n", "inline");

        assertThat(policy.enabled()).isTrue();
        assertThat(policy.threshold()).isEqualTo(0.5);
        assertThat(policy.contextWindowWords()).isEqualTo(5);
        assertThat(policy.defaultAction()).isEqualTo(PiiAction.MASK);
        assertThat(policy.entityActions()).isEmpty();
        assertThat(policy.phoneRegions()).isNotEmpty();
    }

    @Test
    void anUnknownTopLevelKeyIsAnError() {
        assertThatThrownBy(() -> PiiPolicyParser.parse("version: v1\npii_rules: {}\n", "acme.yaml"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("acme.yaml: ")
                .hasMessageContaining("unknown key 'pii_rules'");
    }

    @Test
    void anUnknownNestedKeyIsAnErrorNamingItsPath() {
        String misspelt = "version: v1\npii:\n  treshold: 0.7\n";
        String misspeltHash = "version: v1\npii:\n  hash:\n    secret_enV: X\n";

        assertThatThrownBy(() -> PiiPolicyParser.parse(misspelt, "acme.yaml"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown key 'pii.treshold'");
        assertThatThrownBy(() -> PiiPolicyParser.parse(misspeltHash, "acme.yaml"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown key 'pii.hash.secret_enV'");
    }

    @Test
    void aBadActionIsAnError() {
        String yaml = "version: v1\npii:\n  actions:\n    EMAIL_ADDRESS: scramble\n";
        String badDefault = "version: v1\npii:\n  default_action: erase\n";

        assertThatThrownBy(() -> PiiPolicyParser.parse(yaml, "acme.yaml"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown PII action 'scramble'");
        assertThatThrownBy(() -> PiiPolicyParser.parse(badDefault, "acme.yaml"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown PII action 'erase'");
    }

    @Test
    void anUnknownEntityTypeIsAnError() {
        String yaml = "version: v1\npii:\n  actions:\n    PASSPORT: mask\n";

        assertThatThrownBy(() -> PiiPolicyParser.parse(yaml, "acme.yaml"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown PII entity type 'PASSPORT'");
    }

    @Test
    void aMissingVersionIsAnError() {
        assertThatThrownBy(() -> PiiPolicyParser.parse("pii:\n  default_action: mask\n", "acme.yaml"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'version' is required");
        assertThatThrownBy(() -> PiiPolicyParser.parse("version: ''\n", "acme.yaml"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'version' is required");
    }

    @Test
    void outOfRangeAndMistypedValuesAreErrors() {
        assertThatThrownBy(() -> PiiPolicyParser.parse("version: v1\npii:\n  threshold: 1.5\n", "p"))
                .hasMessageContaining("pii.threshold must be within [0, 1]");
        assertThatThrownBy(() -> PiiPolicyParser.parse("version: v1\npii:\n  threshold: high\n", "p"))
                .hasMessageContaining("'pii.threshold' must be a number");
        assertThatThrownBy(() -> PiiPolicyParser.parse("version: v1\npii:\n  context_window_words: 50\n", "p"))
                .hasMessageContaining("pii.context_window_words must be within [0, 20]");
        assertThatThrownBy(() -> PiiPolicyParser.parse("version: v1\npii:\n  enabled: maybe\n", "p"))
                .hasMessageContaining("'pii.enabled' must be true or false");
        assertThatThrownBy(() -> PiiPolicyParser.parse("version: v1\npii:\n  phone_regions: US\n", "p"))
                .hasMessageContaining("pii.phone_regions must be a list");
    }

    @Test
    void malformedDocumentsAreErrors() {
        assertThatThrownBy(() -> PiiPolicyParser.parse("- just\n- a list\n", "p"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a policy must be a YAML mapping");
        assertThatThrownBy(() -> PiiPolicyParser.parse("version: v1\nversion: v2\n", "p"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not valid YAML");
        assertThatThrownBy(() -> PiiPolicyParser.parse("version: [v1\n", "p"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not valid YAML");
    }

    @Test
    void aMissingFileIsAnErrorNamingIt(@TempDir Path dir) {
        Path missing = dir.resolve("nope.yaml");

        assertThatThrownBy(() -> PiiPolicyParser.parseFile(missing))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot read policy file")
                .hasMessageContaining("nope.yaml");
    }

    @Test
    void actionNamesParseCaseInsensitively() {
        assertThat(PiiAction.parse(" Mask ")).isEqualTo(PiiAction.MASK);
        assertThat(List.of(PiiAction.values()))
                .extracting(PiiAction::wireName)
                .containsExactly("mask", "redact", "hash", "block", "report");
    }
}
