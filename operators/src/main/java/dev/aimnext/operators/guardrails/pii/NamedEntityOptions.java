package dev.aimnext.operators.guardrails.pii;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.ReadableConfig;

import java.util.Optional;

/**
 * Flink settings of the PII guardrail's named-entity part. Off unless {@link #NER_PACK} is set, so
 * the pattern-only guardrail keeps its behaviour and throughput by default.
 */
public final class NamedEntityOptions {

    private NamedEntityOptions() {}

    public static final ConfigOption<String> NER_PACK = ConfigOptions.key("aim.guardrails.pii.ner-pack")
            .stringType().noDefaultValue()
            .withDescription("Token-classification pack whose PERSON, LOCATION, ORGANIZATION and ADDRESS spans join "
                    + "the PII findings: builtin:ner-minilm or a pack folder (an HF token-classification export such "
                    + "as dslim/bert-base-NER works as is). Unset: pattern recognizers only.");

    /** The configured pack reference, if named-entity PII is on. */
    public static Optional<String> nerPack(ReadableConfig config) {
        return config.getOptional(NER_PACK).map(String::trim).filter(s -> !s.isEmpty());
    }
}
