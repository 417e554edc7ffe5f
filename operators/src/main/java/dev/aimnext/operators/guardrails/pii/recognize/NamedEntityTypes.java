package dev.aimnext.operators.guardrails.pii.recognize;

import dev.aimnext.operators.guardrails.pii.PiiEntity;

import java.util.Locale;
import java.util.Map;

/**
 * Maps entity type names used by token-classification packs and PII datasets to PII entities:
 * CoNLL-style {@code PER}/{@code LOC}/{@code ORG} (e.g. {@code dslim/bert-base-NER}), Presidio's
 * {@code PERSON}/{@code GPE}/{@code LOCATION}/{@code ORGANIZATION}/{@code STREET_ADDRESS}/{@code
 * ADDRESS}, and the built-in {@code ner-minilm} pack's own names. {@code GPE} (countries, cities)
 * is a location; a street address is its own entity, because it is a different granularity of
 * place and the one that identifies a person. Other types ({@code MISC}) map to nothing.
 */
public final class NamedEntityTypes {

    private static final Map<String, PiiEntity> ALIASES = Map.ofEntries(
            Map.entry("PERSON", PiiEntity.PERSON),
            Map.entry("PER", PiiEntity.PERSON),
            Map.entry("LOCATION", PiiEntity.LOCATION),
            Map.entry("LOC", PiiEntity.LOCATION),
            Map.entry("GPE", PiiEntity.LOCATION),
            Map.entry("ORGANIZATION", PiiEntity.ORGANIZATION),
            Map.entry("ORGANISATION", PiiEntity.ORGANIZATION),
            Map.entry("ORG", PiiEntity.ORGANIZATION),
            Map.entry("ADDRESS", PiiEntity.ADDRESS),
            Map.entry("STREET_ADDRESS", PiiEntity.ADDRESS));

    private NamedEntityTypes() {}

    /** The PII entity for a pack's or dataset's type name, or null when it is not one the PII guardrail tracks. */
    public static PiiEntity toPii(String type) {
        return ALIASES.get(type.toUpperCase(Locale.ROOT));
    }
}
