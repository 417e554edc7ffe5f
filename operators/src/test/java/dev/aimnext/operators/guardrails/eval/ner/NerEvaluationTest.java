package dev.aimnext.operators.guardrails.eval.ner;

import dev.aimnext.operators.guardrails.engine.token.EntitySpan;
import dev.aimnext.operators.guardrails.train.ner.NerExample;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class NerEvaluationTest {

    private static NerExample.Span gold(int start, int end, String type) {
        return new NerExample.Span(start, end, type);
    }

    @Test
    void exactAndOverlapMatchingCountPerMappedType() {
        List<NerExample> examples = List.of(
                new NerExample("a", List.of(gold(0, 10, "PERSON"), gold(20, 25, "GPE"), gold(30, 40, "DATE_TIME"))),
                new NerExample("b", List.of(gold(0, 8, "PERSON"), gold(10, 30, "STREET_ADDRESS"))),
                new NerExample("c", List.of()));
        List<List<EntitySpan>> predicted = List.of(
                // exact PERSON (as PER), LOCATION off by one (overlap only), a MISC that is ignored
                List.of(new EntitySpan("PER", 0, 10, 0.9), new EntitySpan("LOC", 20, 24, 0.8),
                        new EntitySpan("MISC", 30, 40, 0.9)),
                // PERSON missed; the address found in two pieces, both overlapping it
                List.of(new EntitySpan("ADDRESS", 10, 18, 0.7), new EntitySpan("ADDRESS", 19, 30, 0.7)),
                // a person in an entity-free text
                List.of(new EntitySpan("PERSON", 0, 1, 0.6)));

        List<NerEvaluation.Row> rows = NerEvaluation.score(examples, predicted);

        NerEvaluation.Row person = rows.get(0);
        assertThat(person.type()).isEqualTo("PERSON");
        assertThat(person.gold()).isEqualTo(2);
        assertThat(person.predicted()).isEqualTo(2);
        assertThat(person.exactMatches()).isEqualTo(1);
        assertThat(person.exactPrecision()).isCloseTo(0.5, within(1e-9));
        assertThat(person.exactRecall()).isCloseTo(0.5, within(1e-9));
        NerEvaluation.Row location = rows.get(1);
        assertThat(location.exactMatches()).isZero();
        assertThat(location.overlapF1()).isCloseTo(1.0, within(1e-9));
        NerEvaluation.Row address = rows.get(3);
        assertThat(address.overlapPredicted()).isEqualTo(2);
        assertThat(address.overlapGold()).isEqualTo(1);
        assertThat(address.overlapPrecision()).isCloseTo(1.0, within(1e-9));
        assertThat(address.exactF1()).isZero();
        NerEvaluation.Row all = rows.get(4);
        assertThat(all.type()).isEqualTo("ALL");
        assertThat(all.gold()).isEqualTo(4);
        assertThat(all.predicted()).isEqualTo(5);
        assertThat(NerEvaluation.spuriousTexts(examples, predicted)).containsExactly(1, 1);
        assertThat(NerEvaluation.table(rows)).contains("| PERSON | 2 | 2 | 0.500 | 0.500 | 0.500 |");
    }
}
