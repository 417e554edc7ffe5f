package dev.aimnext.operators.guardrails.engine.token;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class BioAggregatorTest {

    /** CoNLL-style labels as dslim/bert-base-NER names them. */
    static final BioLabels LABELS = BioLabels.parse(List.of("O", "B-PER", "I-PER", "B-LOC", "I-LOC"), "test");

    /** A token covering [start, end) of word {@code word}, with all probability mass on {@code label} except 0.1 on O. */
    static TaggedToken token(int start, int end, int word, String label) {
        float[] p = new float[LABELS.size()];
        int id = LABELS.indexOf(label);
        if (id == 0) {
            p[0] = 1f;
        } else {
            p[id] = 0.9f;
            p[0] = 0.1f;
        }
        return new TaggedToken(start, end, word, p);
    }

    @Test
    void beginAndInsideMakeOneSpanWithCharacterOffsets() {
        String text = "I met John Smith in Paris";
        List<TaggedToken> tokens = List.of(
                token(0, 1, 0, "O"), token(2, 5, 1, "O"),
                token(6, 10, 2, "B-PER"), token(11, 16, 3, "I-PER"),
                token(17, 19, 4, "O"), token(20, 25, 5, "B-LOC"));

        List<EntitySpan> spans = BioAggregator.aggregate(text, LABELS, tokens);

        assertThat(spans).extracting(EntitySpan::type, s -> text.substring(s.start(), s.end()))
                .containsExactly(org.assertj.core.groups.Tuple.tuple("PER", "John Smith"),
                        org.assertj.core.groups.Tuple.tuple("LOC", "Paris"));
        assertThat(spans.get(0).start()).isEqualTo(6);
        assertThat(spans.get(0).end()).isEqualTo(16);
        assertThat(spans.get(0).score()).isCloseTo(0.9, within(1e-6));
    }

    @Test
    void subWordPiecesBelongToTheirWordWhateverTheirOwnLabel() {
        // "Szöllösy" as s ##zo ##llo ##sy: the first piece decides, the others follow even when the
        // model tags them O or as another type.
        String text = "Krisztián Szöllösy";
        List<TaggedToken> tokens = List.of(
                token(0, 4, 0, "B-PER"), token(4, 5, 0, "O"), token(5, 9, 0, "I-PER"),
                token(10, 11, 1, "I-PER"), token(11, 13, 1, "B-LOC"), token(13, 16, 1, "O"), token(16, 18, 1, "I-PER"));

        List<EntitySpan> spans = BioAggregator.aggregate(text, LABELS, tokens);

        assertThat(spans).hasSize(1);
        assertThat(spans.get(0).type()).isEqualTo("PER");
        assertThat(text.substring(spans.get(0).start(), spans.get(0).end())).isEqualTo("Krisztián Szöllösy");
        // Mean over 7 tokens of P(B-PER) + P(I-PER): four tokens 0.9, three tokens 0.
        assertThat(spans.get(0).score()).isCloseTo(4 * 0.9 / 7, within(1e-6));
    }

    @Test
    void insideWithoutBeginStartsANewEntityAndBeginSplits() {
        String text = "Anna Berg Carl Dahl Oslo";
        List<TaggedToken> tokens = List.of(
                token(0, 4, 0, "I-PER"),   // I without B: starts PER
                token(5, 9, 1, "I-PER"),   // continues
                token(10, 14, 2, "B-PER"), // B: a second person
                token(15, 19, 3, "I-PER"),
                token(20, 24, 4, "I-LOC")); // I of another type: starts LOC

        List<EntitySpan> spans = BioAggregator.aggregate(text, LABELS, tokens);

        List<String> found = new ArrayList<>();
        spans.forEach(s -> found.add(s.type() + ":" + text.substring(s.start(), s.end())));
        assertThat(found).containsExactly("PER:Anna Berg", "PER:Carl Dahl", "LOC:Oslo");
    }

    @Test
    void outsideClosesAnEntityAndLaterInsideOpensAnother() {
        String text = "Anna and Berg";
        List<TaggedToken> tokens = List.of(token(0, 4, 0, "B-PER"), token(5, 8, 1, "O"), token(9, 13, 2, "I-PER"));

        assertThat(BioAggregator.aggregate(text, LABELS, tokens))
                .extracting(s -> text.substring(s.start(), s.end()))
                .containsExactly("Anna", "Berg");
    }

    @Test
    void separatorsAreTrimmedButAnAbbreviationDotStays() {
        String text = "To: Dr. Anna Berg. Ltd. :";
        List<TaggedToken> tokens = List.of(
                token(0, 2, 0, "O"),
                token(2, 3, 1, "B-PER"),   // ":" tagged B-PER: trimmed off the front
                token(4, 6, 2, "I-PER"), token(6, 7, 3, "I-PER"),
                token(8, 12, 4, "I-PER"), token(13, 17, 5, "I-PER"),
                token(17, 18, 6, "I-PER"), // "." right after "Berg": kept as an abbreviation dot
                token(19, 22, 7, "O"), token(22, 23, 8, "O"),
                token(24, 25, 9, "B-LOC")); // a lone ":" entity: nothing left, dropped

        List<EntitySpan> spans = BioAggregator.aggregate(text, LABELS, tokens);

        assertThat(spans).extracting(s -> text.substring(s.start(), s.end())).containsExactly("Dr. Anna Berg.");
    }

    @Test
    void bareLabelsReadAsInsideAndLabelsNeedAnOutside() {
        BioLabels bare = BioLabels.parse(List.of("O", "PER"), "test");
        assertThat(bare.tag(1)).isEqualTo(BioLabels.Tag.INSIDE);
        assertThat(bare.type(1)).isEqualTo("PER");
        assertThat(LABELS.entityTypes()).containsExactly("PER", "LOC");

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> BioLabels.parse(List.of("B-PER", "I-PER"), "cfg.json"))
                .hasMessageContaining("cfg.json").hasMessageContaining("no 'O'");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> BioLabels.parse(List.of("O", "B-"), "cfg.json"))
                .hasMessageContaining("names no entity type");
    }
}
