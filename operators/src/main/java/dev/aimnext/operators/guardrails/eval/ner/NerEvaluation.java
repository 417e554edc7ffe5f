package dev.aimnext.operators.guardrails.eval.ner;

import dev.aimnext.operators.guardrails.engine.InferenceEngine;
import dev.aimnext.operators.guardrails.engine.token.EntitySpan;
import dev.aimnext.operators.guardrails.pii.PiiEntity;
import dev.aimnext.operators.guardrails.pii.recognize.NamedEntityTypes;
import dev.aimnext.operators.guardrails.train.ner.NerExample;
import dev.aimnext.operators.guardrails.train.ner.NerHeadTrainer;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Per-type precision, recall and F1 of predicted entity spans against gold spans, under two
 * matching rules:
 * <ul>
 *   <li><b>exact</b>: same type, same start and end;</li>
 *   <li><b>overlap</b>: same type and at least one shared character. Precision counts predictions
 *       that overlap some gold span, recall gold spans that some prediction overlaps. This is what
 *       masking cares about: a partly covered name is still (mostly) hidden.</li>
 * </ul>
 * Gold and predicted types are both read through {@link NamedEntityTypes}, so Presidio's {@code
 * GPE}/{@code STREET_ADDRESS} and a CoNLL pack's {@code PER}/{@code LOC}/{@code ORG} line up with
 * {@link PiiEntity}; other types are ignored. The last row, {@code ALL}, is the micro average.
 */
public final class NerEvaluation {

    /** Types reported, in order. */
    public static final List<PiiEntity> TYPES = NerHeadTrainer.TYPES;

    /** One row of the table. */
    public record Row(String type, int gold, int predicted, int exactMatches, int overlapPredicted, int overlapGold) {

        public double exactPrecision() {
            return ratio(exactMatches, predicted);
        }

        public double exactRecall() {
            return ratio(exactMatches, gold);
        }

        public double exactF1() {
            return f1(exactPrecision(), exactRecall());
        }

        public double overlapPrecision() {
            return ratio(overlapPredicted, predicted);
        }

        public double overlapRecall() {
            return ratio(overlapGold, gold);
        }

        public double overlapF1() {
            return f1(overlapPrecision(), overlapRecall());
        }
    }

    private NerEvaluation() {}

    /** Runs a token-classification engine over the examples and scores its spans. */
    public static List<Row> run(InferenceEngine engine, List<NerExample> examples, int batchTexts) {
        return score(examples, predict(engine, examples, batchTexts));
    }

    /** The engine's entity spans for every example, in example order, {@code batchTexts} texts per call. */
    public static List<List<EntitySpan>> predict(InferenceEngine engine, List<NerExample> examples, int batchTexts) {
        List<List<EntitySpan>> predicted = new ArrayList<>(examples.size());
        for (int from = 0; from < examples.size(); from += batchTexts) {
            List<String> texts = new ArrayList<>();
            for (NerExample e : examples.subList(from, Math.min(examples.size(), from + batchTexts))) {
                texts.add(e.text());
            }
            predicted.addAll(engine.entities(texts));
        }
        return predicted;
    }

    /** Scores {@code predicted.get(i)} against {@code examples.get(i)}'s gold spans. */
    public static List<Row> score(List<NerExample> examples, List<List<EntitySpan>> predicted) {
        if (examples.size() != predicted.size()) {
            throw new IllegalArgumentException(examples.size() + " examples but " + predicted.size() + " predictions");
        }
        Map<PiiEntity, int[]> counts = new EnumMap<>(PiiEntity.class);
        TYPES.forEach(t -> counts.put(t, new int[5]));
        for (int i = 0; i < examples.size(); i++) {
            List<Typed> gold = new ArrayList<>();
            for (NerExample.Span s : examples.get(i).spans()) {
                add(gold, NamedEntityTypes.toPii(s.type()), s.start(), s.end());
            }
            List<Typed> pred = new ArrayList<>();
            for (EntitySpan s : predicted.get(i)) {
                add(pred, NamedEntityTypes.toPii(s.type()), s.start(), s.end());
            }
            for (PiiEntity type : TYPES) {
                int[] c = counts.get(type);
                List<Typed> g = gold.stream().filter(x -> x.type == type).toList();
                List<Typed> p = pred.stream().filter(x -> x.type == type).toList();
                c[0] += g.size();
                c[1] += p.size();
                c[2] += (int) p.stream().filter(x -> g.stream().anyMatch(x::sameSpan)).count();
                c[3] += (int) p.stream().filter(x -> g.stream().anyMatch(x::overlaps)).count();
                c[4] += (int) g.stream().filter(x -> p.stream().anyMatch(x::overlaps)).count();
            }
        }
        List<Row> rows = new ArrayList<>();
        int[] all = new int[5];
        for (PiiEntity type : TYPES) {
            int[] c = counts.get(type);
            rows.add(new Row(type.name(), c[0], c[1], c[2], c[3], c[4]));
            for (int k = 0; k < 5; k++) {
                all[k] += c[k];
            }
        }
        rows.add(new Row("ALL", all[0], all[1], all[2], all[3], all[4]));
        return rows;
    }

    /**
     * Of the texts with no gold entity of the reported types, how many get at least one predicted
     * entity of those types: how often ordinary text would be masked for nothing.
     *
     * @return {texts without gold entities, of those with a predicted entity}
     */
    public static int[] spuriousTexts(List<NerExample> examples, List<List<EntitySpan>> predicted) {
        int clean = 0;
        int flagged = 0;
        for (int i = 0; i < examples.size(); i++) {
            boolean gold = examples.get(i).spans().stream().anyMatch(s -> reported(s.type()));
            if (gold) {
                continue;
            }
            clean++;
            if (predicted.get(i).stream().anyMatch(s -> reported(s.type()))) {
                flagged++;
            }
        }
        return new int[] {clean, flagged};
    }

    private static boolean reported(String type) {
        PiiEntity e = NamedEntityTypes.toPii(type);
        return e != null && TYPES.contains(e);
    }

    /** A Markdown table of the rows. */
    public static String table(List<Row> rows) {
        StringBuilder sb = new StringBuilder();
        sb.append("| type | gold | predicted | exact P | exact R | exact F1 | overlap P | overlap R | overlap F1 |\n");
        sb.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Row r : rows) {
            sb.append(String.format(Locale.ROOT, "| %s | %d | %d | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f |%n",
                    r.type(), r.gold(), r.predicted(), r.exactPrecision(), r.exactRecall(), r.exactF1(),
                    r.overlapPrecision(), r.overlapRecall(), r.overlapF1()));
        }
        return sb.toString();
    }

    private static void add(List<Typed> out, PiiEntity type, int start, int end) {
        if (type != null && TYPES.contains(type)) {
            out.add(new Typed(type, start, end));
        }
    }

    private record Typed(PiiEntity type, int start, int end) {
        boolean sameSpan(Typed o) {
            return start == o.start && end == o.end;
        }

        boolean overlaps(Typed o) {
            return start < o.end && o.start < end;
        }
    }

    private static double ratio(int num, int den) {
        return den == 0 ? 0 : (double) num / den;
    }

    private static double f1(double p, double r) {
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }
}
