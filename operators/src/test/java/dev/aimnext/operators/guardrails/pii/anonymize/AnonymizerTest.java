package dev.aimnext.operators.guardrails.pii.anonymize;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aimnext.operators.guardrails.pii.PiiEntity;
import dev.aimnext.operators.guardrails.pii.PiiSpan;
import dev.aimnext.operators.guardrails.pii.policy.PiiAction;

import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

class AnonymizerTest {

    private static final Supplier<HmacPseudonymizer> NO_HASHING =
            () -> {
                throw new AssertionError("no span hashes, so no secret may be needed");
            };

    /** Spans for each occurrence of the given values, in text order. */
    private static List<PiiSpan> spans(String text, PiiEntity entity, String... values) {
        List<PiiSpan> spans = new ArrayList<>();
        int from = 0;
        for (String value : values) {
            int start = text.indexOf(value, from);
            spans.add(new PiiSpan(entity, start, start + value.length(), 0.9));
            from = start + value.length();
        }
        return spans;
    }

    private static Function<PiiEntity, PiiAction> all(PiiAction action) {
        return entity -> action;
    }

    @Test
    void maskNumbersDistinctValuesAndEqualValuesShareANumber() {
        String text = "From a@example.com to b@example.com, cc a@example.com.";
        List<PiiSpan> spans =
                spans(text, PiiEntity.EMAIL_ADDRESS, "a@example.com", "b@example.com", "a@example.com");

        String masked = Anonymizer.apply(text, spans, all(PiiAction.MASK), new MaskNumbering(), NO_HASHING);

        assertThat(masked)
                .isEqualTo("From [EMAIL_ADDRESS_1] to [EMAIL_ADDRESS_2], cc [EMAIL_ADDRESS_1].");
    }

    @Test
    void maskNumbersEachEntityTypeSeparately() {
        String text = "a@example.com 555-0100";
        List<PiiSpan> spans = new ArrayList<>(spans(text, PiiEntity.EMAIL_ADDRESS, "a@example.com"));
        spans.addAll(spans(text, PiiEntity.PHONE_NUMBER, "555-0100"));

        assertThat(Anonymizer.apply(text, spans, all(PiiAction.MASK), new MaskNumbering(), NO_HASHING))
                .isEqualTo("[EMAIL_ADDRESS_1] [PHONE_NUMBER_1]");
    }

    @Test
    void oneNumberingSpansAllTextsOfARequest() {
        MaskNumbering numbering = new MaskNumbering();
        String first = "me: a@example.com";
        String second = "b@example.com and a@example.com";

        String one = Anonymizer.apply(first, spans(first, PiiEntity.EMAIL_ADDRESS, "a@example.com"),
                all(PiiAction.MASK), numbering, NO_HASHING);
        String two = Anonymizer.apply(second,
                spans(second, PiiEntity.EMAIL_ADDRESS, "b@example.com", "a@example.com"),
                all(PiiAction.MASK), numbering, NO_HASHING);

        assertThat(one).isEqualTo("me: [EMAIL_ADDRESS_1]");
        assertThat(two).isEqualTo("[EMAIL_ADDRESS_2] and [EMAIL_ADDRESS_1]");
    }

    @Test
    void redactRemovesTheValue() {
        String text = "card 4111 1111 1111 1111 please";

        assertThat(Anonymizer.apply(text, spans(text, PiiEntity.CREDIT_CARD, "4111 1111 1111 1111"),
                        all(PiiAction.REDACT), new MaskNumbering(), NO_HASHING))
                .isEqualTo("card  please");
    }

    @Test
    void blockAndReportLeaveTheTextAsItIs() {
        String text = "key AKIAIOSFODNN7EXAMPLE and a@example.com";
        List<PiiSpan> spans = new ArrayList<>(spans(text, PiiEntity.AWS_ACCESS_KEY, "AKIAIOSFODNN7EXAMPLE"));
        spans.addAll(spans(text, PiiEntity.EMAIL_ADDRESS, "a@example.com"));

        assertThat(Anonymizer.apply(text, spans, all(PiiAction.BLOCK), new MaskNumbering(), NO_HASHING))
                .isEqualTo(text);
        assertThat(Anonymizer.apply(text, spans, all(PiiAction.REPORT), new MaskNumbering(), NO_HASHING))
                .isEqualTo(text);
    }

    @Test
    void actionsApplyPerEntity() {
        String text = "a@example.com / 4111 1111 1111 1111 / AKIAIOSFODNN7EXAMPLE";
        List<PiiSpan> spans = new ArrayList<>(spans(text, PiiEntity.EMAIL_ADDRESS, "a@example.com"));
        spans.addAll(spans(text, PiiEntity.CREDIT_CARD, "4111 1111 1111 1111"));
        spans.addAll(spans(text, PiiEntity.AWS_ACCESS_KEY, "AKIAIOSFODNN7EXAMPLE"));
        Function<PiiEntity, PiiAction> actions =
                entity -> switch (entity) {
                    case EMAIL_ADDRESS -> PiiAction.MASK;
                    case CREDIT_CARD -> PiiAction.REDACT;
                    default -> PiiAction.REPORT;
                };

        assertThat(Anonymizer.apply(text, spans, actions, new MaskNumbering(), NO_HASHING))
                .isEqualTo("[EMAIL_ADDRESS_1] /  / AKIAIOSFODNN7EXAMPLE");
    }

    @Test
    void hashIsAnHmacOfTheEntityAndValueUnderTheTenantSecret() throws Exception {
        String text = "write to a@example.com";
        byte[] secret = "tenant-a-secret".getBytes(StandardCharsets.UTF_8);
        HmacPseudonymizer hasher = new HmacPseudonymizer(secret);

        String hashed = Anonymizer.apply(text, spans(text, PiiEntity.EMAIL_ADDRESS, "a@example.com"),
                all(PiiAction.HASH), new MaskNumbering(), () -> hasher);

        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret, "HmacSHA256"));
        mac.update("EMAIL_ADDRESS".getBytes(StandardCharsets.UTF_8));
        mac.update((byte) 0);
        byte[] digest = mac.doFinal("a@example.com".getBytes(StandardCharsets.UTF_8));
        String expected = "[EMAIL_ADDRESS:" + HexFormat.of().formatHex(digest, 0, 16) + "]";
        assertThat(hashed).isEqualTo("write to " + expected);
    }

    @Test
    void hashTokensAreStableWithinATenantAndDifferAcrossTenantsAndEntities() {
        HmacPseudonymizer tenantA = new HmacPseudonymizer("secret-a".getBytes(StandardCharsets.UTF_8));
        HmacPseudonymizer tenantB = new HmacPseudonymizer("secret-b".getBytes(StandardCharsets.UTF_8));

        String a1 = tenantA.token(PiiEntity.EMAIL_ADDRESS, "a@example.com");
        String a2 = tenantA.token(PiiEntity.EMAIL_ADDRESS, "a@example.com");
        String b = tenantB.token(PiiEntity.EMAIL_ADDRESS, "a@example.com");

        assertThat(a1).isEqualTo(a2).matches("\\[EMAIL_ADDRESS:[0-9a-f]{32}]").doesNotContain("example");
        assertThat(b).isNotEqualTo(a1);
        assertThat(tenantA.token(PiiEntity.PHONE_NUMBER, "5550100"))
                .isNotEqualTo(tenantA.token(PiiEntity.CREDIT_CARD, "5550100").replace("CREDIT_CARD", "PHONE_NUMBER"));
        assertThat(tenantA.token(PiiEntity.EMAIL_ADDRESS, "b@example.com")).isNotEqualTo(a1);
    }

    @Test
    void noSpansReturnsTheSameText() {
        String text = "nothing to hide";

        assertThat(Anonymizer.apply(text, List.of(), all(PiiAction.MASK), new MaskNumbering(), NO_HASHING))
                .isSameAs(text);
    }
}
