package dev.aimnext.operators.guardrails.pii;

import dev.aimnext.operators.guardrails.pii.policy.PiiPolicy;
import dev.aimnext.operators.guardrails.pii.policy.PiiPolicyParser;
import dev.aimnext.schemas.kafka.PayloadScrubber;

import java.nio.charset.StandardCharsets;

/**
 * Overwrites PII in a rejected record's bytes before they reach the dead-letter topic. The bytes are
 * read as ISO-8859-1, which maps each byte to one char, so a span found in that text is exactly the
 * byte range to overwrite, even when the record is not valid UTF-8. Every PII pattern is ASCII, so
 * nothing is lost by not decoding UTF-8 first.
 */
public final class PiiPayloadScrubber implements PayloadScrubber {

    private static final long serialVersionUID = 1L;

    private final PiiPolicy policy;
    private transient PiiAnalyzer analyzer;

    public PiiPayloadScrubber(PiiPolicy policy) {
        this.policy = policy;
    }

    public static PiiPayloadScrubber withDefaultPolicy() {
        return new PiiPayloadScrubber(PiiPolicyParser.defaultPolicy());
    }

    @Override
    public void scrub(byte[] payload) {
        if (analyzer == null) {
            analyzer = PiiAnalyzer.fromPolicy(policy);
        }
        String latin1 = new String(payload, StandardCharsets.ISO_8859_1);
        for (PiiSpan span : analyzer.analyze(latin1)) {
            for (int i = span.start(); i < span.end(); i++) {
                payload[i] = '*';
            }
        }
    }
}
