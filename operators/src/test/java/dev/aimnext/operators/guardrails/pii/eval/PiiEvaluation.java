package dev.aimnext.operators.guardrails.pii.eval;

import dev.aimnext.operators.guardrails.pii.PiiAnalyzer;
import dev.aimnext.operators.guardrails.pii.PiiEntity;
import dev.aimnext.operators.guardrails.pii.PiiSpan;
import dev.aimnext.operators.guardrails.pii.policy.PiiPolicyParser;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Span-level evaluation of the PII analyzer against labelled JSONL data (the Presidio research
 * sets under {@code src/test/resources/datasets/pii/}, evaluation only).
 *
 * <p>Each line is {@code {"text", "spans":[{"start","end","type"}], "source"}} with UTF-16,
 * end-exclusive offsets. Only the entity types in {@link #EVALUATED} are scored.
 *
 * <p>Matching rule, per text:
 *
 * <ul>
 *   <li>A predicted span of type T is a true positive if it overlaps a gold span of the same type T
 *       that no earlier prediction has matched (each gold span is matched at most once).
 *   <li>Any other predicted span of an evaluated type is a false positive. Gold spans of types we do
 *       not detect (PERSON, DATE_TIME, US_DRIVER_LICENSE, ...) are otherwise ignored, but a
 *       prediction that overlaps one of them is still a false positive: the analyzer claimed an
 *       entity that is not there.
 *   <li>Gold spans of an evaluated type T that no prediction matched are false negatives.
 *   <li>Predictions of types outside {@link #EVALUATED} (the secret kinds) have no gold labels in
 *       these sets and are not scored.
 * </ul>
 *
 * <p>Run {@code main} to print one Markdown table per dataset and one for all of them combined; pass
 * {@code --errors} to also list every false positive and false negative (for debugging only).
 */
public final class PiiEvaluation {

    /** The entity types that both the detector and the datasets know. */
    public static final List<PiiEntity> EVALUATED =
            List.of(
                    PiiEntity.EMAIL_ADDRESS,
                    PiiEntity.PHONE_NUMBER,
                    PiiEntity.CREDIT_CARD,
                    PiiEntity.US_SSN,
                    PiiEntity.IBAN_CODE,
                    PiiEntity.IP_ADDRESS);

    /** Classpath directory of the datasets. */
    public static final String RESOURCE_DIR = "datasets/pii/";

    /** The bundled datasets, by file name under {@link #RESOURCE_DIR}. */
    public static final List<String> DATASETS =
            List.of("presidio_synth_dataset_v2.jsonl", "presidio_generated_large.jsonl");

    private static final ObjectMapper JSON =
            new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

    /** One labelled span; {@code type} is the dataset's (Presidio) type name. */
    public record GoldSpan(int start, int end, String type) {}

    /** One labelled text. */
    public record Example(String text, List<GoldSpan> spans, String source) {}

    /** A false positive or false negative, for error analysis. */
    public record Error(String kind, PiiEntity entity, Example example, int start, int end) {

        @Override
        public String toString() {
            String text = example.text();
            int from = Math.max(0, start - 40);
            int to = Math.min(text.length(), end + 40);
            return kind + " " + entity + " '" + text.substring(start, end) + "' in: "
                    + (text.substring(from, start) + "[[" + text.substring(start, end) + "]]"
                            + text.substring(end, to)).replace('\n', ' ');
        }
    }

    /** Counts for one entity type. */
    public static final class Counts {
        private int gold;
        private int predicted;
        private int truePositives;

        public int gold() {
            return gold;
        }

        public int predicted() {
            return predicted;
        }

        public int truePositives() {
            return truePositives;
        }

        public int falsePositives() {
            return predicted - truePositives;
        }

        public int falseNegatives() {
            return gold - truePositives;
        }

        /** NaN when nothing was predicted. */
        public double precision() {
            return predicted == 0 ? Double.NaN : (double) truePositives / predicted;
        }

        /** NaN when there is no gold span. */
        public double recall() {
            return gold == 0 ? Double.NaN : (double) truePositives / gold;
        }

        void add(Counts other) {
            gold += other.gold;
            predicted += other.predicted;
            truePositives += other.truePositives;
        }
    }

    /** The result of evaluating one dataset (or several combined). */
    public static final class Report {
        private final String name;
        private int texts;
        private final Map<PiiEntity, Counts> counts = new EnumMap<>(PiiEntity.class);
        private final List<Error> errors = new ArrayList<>();

        Report(String name) {
            this.name = name;
            for (PiiEntity entity : EVALUATED) {
                counts.put(entity, new Counts());
            }
        }

        public String name() {
            return name;
        }

        public int texts() {
            return texts;
        }

        public Counts counts(PiiEntity entity) {
            return counts.get(entity);
        }

        public List<Error> errors() {
            return errors;
        }

        /** Micro-averaged counts over all evaluated types. */
        public Counts total() {
            Counts total = new Counts();
            counts.values().forEach(total::add);
            return total;
        }

        public static Report combine(String name, List<Report> reports) {
            Report combined = new Report(name);
            for (Report report : reports) {
                combined.texts += report.texts;
                report.counts.forEach((entity, c) -> combined.counts.get(entity).add(c));
                combined.errors.addAll(report.errors);
            }
            return combined;
        }

        public String toMarkdown() {
            StringBuilder out = new StringBuilder();
            out.append("### ").append(name).append(" (").append(texts).append(" texts)\n\n");
            out.append("| entity | gold | predicted | TP | FP | FN | precision | recall |\n");
            out.append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
            for (PiiEntity entity : EVALUATED) {
                row(out, entity.name(), counts.get(entity));
            }
            row(out, "**all (micro)**", total());
            return out.toString();
        }

        private static void row(StringBuilder out, String label, Counts c) {
            out.append("| ").append(label)
                    .append(" | ").append(c.gold())
                    .append(" | ").append(c.predicted())
                    .append(" | ").append(c.truePositives())
                    .append(" | ").append(c.falsePositives())
                    .append(" | ").append(c.falseNegatives())
                    .append(" | ").append(ratio(c.precision()))
                    .append(" | ").append(ratio(c.recall()))
                    .append(" |\n");
        }

        private static String ratio(double value) {
            return Double.isNaN(value) ? "n/a" : String.format(Locale.ROOT, "%.3f", value);
        }
    }

    private PiiEvaluation() {}

    /** Reads a bundled dataset from the test classpath. */
    public static List<Example> load(String fileName) {
        String resource = RESOURCE_DIR + fileName;
        InputStream in = PiiEvaluation.class.getClassLoader().getResourceAsStream(resource);
        if (in == null) {
            throw new IllegalArgumentException("missing test resource " + resource);
        }
        List<Example> examples = new ArrayList<>();
        try (BufferedReader reader =
                new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            int number = 0;
            while ((line = reader.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                Example example = JSON.readValue(line, Example.class);
                for (GoldSpan span : example.spans()) {
                    if (span.start() < 0 || span.end() <= span.start()
                            || span.end() > example.text().length()) {
                        throw new IllegalArgumentException(
                                resource + ":" + number + ": span out of range " + span);
                    }
                }
                examples.add(example);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(resource, e);
        }
        return examples;
    }

    /** Scores {@code analyzer} on {@code examples} with the matching rule in the class comment. */
    public static Report evaluate(String name, List<Example> examples, PiiAnalyzer analyzer) {
        Report report = new Report(name);
        for (Example example : examples) {
            report.texts++;
            List<GoldSpan> gold = example.spans();
            boolean[] matched = new boolean[gold.size()];
            for (GoldSpan span : gold) {
                PiiEntity entity = evaluatedType(span.type());
                if (entity != null) {
                    report.counts.get(entity).gold++;
                }
            }
            for (PiiSpan predicted : analyzer.analyze(example.text())) {
                Counts counts = report.counts.get(predicted.entity());
                if (counts == null) {
                    continue; // not an evaluated type (secrets): no gold labels to compare with
                }
                counts.predicted++;
                int hit = -1;
                for (int i = 0; i < gold.size(); i++) {
                    GoldSpan g = gold.get(i);
                    if (!matched[i]
                            && g.type().equals(predicted.entity().name())
                            && g.start() < predicted.end()
                            && predicted.start() < g.end()) {
                        hit = i;
                        break;
                    }
                }
                if (hit >= 0) {
                    matched[hit] = true;
                    counts.truePositives++;
                } else {
                    report.errors.add(
                            new Error("FP", predicted.entity(), example, predicted.start(),
                                    predicted.end()));
                }
            }
            for (int i = 0; i < gold.size(); i++) {
                PiiEntity entity = evaluatedType(gold.get(i).type());
                if (entity != null && !matched[i]) {
                    report.errors.add(
                            new Error("FN", entity, example, gold.get(i).start(), gold.get(i).end()));
                }
            }
        }
        return report;
    }

    /** Evaluates every bundled dataset with the default policy; the last report is the combination. */
    public static List<Report> evaluateBundled() {
        PiiAnalyzer analyzer = PiiAnalyzer.fromPolicy(PiiPolicyParser.defaultPolicy());
        List<Report> reports = new ArrayList<>();
        for (String dataset : DATASETS) {
            reports.add(evaluate(dataset, load(dataset), analyzer));
        }
        reports.add(Report.combine("combined", reports));
        return reports;
    }

    private static PiiEntity evaluatedType(String type) {
        for (PiiEntity entity : EVALUATED) {
            if (entity.name().equals(type)) {
                return entity;
            }
        }
        return null;
    }

    public static void main(String[] args) {
        boolean showErrors = List.of(args).contains("--errors");
        List<Report> reports = evaluateBundled();
        for (Report report : reports) {
            System.out.println(report.toMarkdown());
        }
        if (showErrors) {
            for (Error error : reports.get(reports.size() - 1).errors()) {
                System.out.println(error);
            }
        }
    }
}
