package dev.aimnext.operators.guardrails.pii.recognize;

import dev.aimnext.operators.guardrails.engine.InferenceEngine;
import dev.aimnext.operators.guardrails.engine.token.EntitySpan;
import dev.aimnext.operators.guardrails.pii.PiiEntity;
import dev.aimnext.operators.guardrails.pii.PiiSpan;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Person, location, organisation and address candidates from a token-classification pack (for
 * example the built-in {@code ner-minilm}, or an HF export such as {@code dslim/bert-base-NER}),
 * as PII spans. Types the PII guardrail does not track ({@code MISC}) are dropped; the span score is
 * the model's mean type probability, so the policy threshold applies as to pattern candidates.
 *
 * <p>The analyzer does not merge these with pattern candidates by score: see
 * {@link NamedEntityMerge}. Thread-safe when the entity source is ({@link InferenceEngine} is).
 */
public final class NamedEntityRecognizer implements Recognizer {

    private final Function<List<String>, List<List<EntitySpan>>> entities;

    /** @param entities texts → entity spans per text, e.g. {@code engine::entities} */
    public NamedEntityRecognizer(Function<List<String>, List<List<EntitySpan>>> entities) {
        this.entities = entities;
    }

    /** A recognizer over a token-classification engine. */
    public static NamedEntityRecognizer of(InferenceEngine engine) {
        return new NamedEntityRecognizer(engine::entities);
    }

    @Override
    public void find(String text, List<PiiSpan> out) {
        out.addAll(toPii(entities.apply(List.of(text)).get(0)));
    }

    /** Candidates of several texts in one engine call (one batch), in text order. */
    public List<List<PiiSpan>> findAll(List<String> texts) {
        List<List<EntitySpan>> found = entities.apply(texts);
        List<List<PiiSpan>> out = new ArrayList<>(found.size());
        for (List<EntitySpan> spans : found) {
            out.add(toPii(spans));
        }
        return out;
    }

    static List<PiiSpan> toPii(List<EntitySpan> spans) {
        List<PiiSpan> out = new ArrayList<>(spans.size());
        for (EntitySpan s : spans) {
            PiiEntity entity = NamedEntityTypes.toPii(s.type());
            if (entity != null) {
                out.add(new PiiSpan(entity, s.start(), s.end(), Math.min(1.0, s.score())));
            }
        }
        return out;
    }
}
