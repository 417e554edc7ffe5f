package dev.aimnext.jobs.testing;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text format 0.0.4, for tests: every line must be a HELP line,
 * a TYPE line or a sample whose family was declared, with well-formed labels and a number.
 * Anything else fails with the offending line, so "parseable" is checked, not assumed.
 */
public final class PrometheusText {

    private static final Pattern HELP = Pattern.compile("# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) .*");
    private static final Pattern TYPE =
            Pattern.compile("# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)");
    private static final Pattern SAMPLE = Pattern.compile(
            "([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{((?:[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\\\n]|\\\\[\\\\\"n])*\",?)*)\\})? (\\S+)");
    private static final Pattern LABEL =
            Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\\\n]|\\\\[\\\\\"n])*)\"");

    private final Map<String, String> types = new HashMap<>();
    private final Map<String, Double> samples = new LinkedHashMap<>();

    private PrometheusText() {}

    /** @throws IllegalArgumentException naming the first line that is not valid exposition */
    public static PrometheusText parse(String text) {
        PrometheusText parsed = new PrometheusText();
        if (!text.isEmpty() && !text.endsWith("\n")) {
            throw new IllegalArgumentException("exposition must end with a line feed");
        }
        for (String line : text.split("\n")) {
            parsed.read(line);
        }
        return parsed;
    }

    private void read(String line) {
        if (line.isEmpty() || HELP.matcher(line).matches()) {
            return;
        }
        Matcher type = TYPE.matcher(line);
        if (type.matches()) {
            if (types.put(type.group(1), type.group(2)) != null) {
                throw new IllegalArgumentException("second TYPE line for " + type.group(1));
            }
            return;
        }
        Matcher sample = SAMPLE.matcher(line);
        if (!sample.matches()) {
            throw new IllegalArgumentException("not a valid exposition line: " + line);
        }
        if (!types.containsKey(sample.group(1))) {
            throw new IllegalArgumentException("sample before its TYPE line: " + line);
        }
        Map<String, String> labels = new LinkedHashMap<>();
        if (sample.group(3) != null) {
            Matcher label = LABEL.matcher(sample.group(3));
            while (label.find()) {
                labels.put(label.group(1), label.group(2));
            }
        }
        double value = Double.parseDouble(sample.group(4));
        String key = sample.group(1) + labels;
        if (samples.put(key, value) != null) {
            throw new IllegalArgumentException("duplicate series: " + key);
        }
    }

    /** Declared metric families and their types. */
    public Map<String, String> types() {
        return types;
    }

    /** Series as {@code name{label=value, ...}} (labels in document order) to value. */
    public Map<String, Double> samples() {
        return samples;
    }

    /** The value of one series, labels given in document order as {@code name, value, name, value...}. */
    public Double value(String metric, String... labelPairs) {
        Map<String, String> labels = new LinkedHashMap<>();
        for (int i = 0; i < labelPairs.length; i += 2) {
            labels.put(labelPairs[i], labelPairs[i + 1]);
        }
        return samples.get(metric + labels);
    }

    /** Number of series of one family. */
    public long count(String metric) {
        return samples.keySet().stream().filter(k -> k.startsWith(metric + "{")).count();
    }
}
