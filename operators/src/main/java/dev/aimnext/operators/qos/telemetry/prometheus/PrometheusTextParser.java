package dev.aimnext.operators.qos.telemetry.prometheus;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Reads the Prometheus text exposition format 0.0.4, the format of {@code /metrics} endpoints such
 * as vLLM's (Python {@code prometheus_client}).
 *
 * <p>What it accepts, following the reference parser of the Go client ({@code expfmt}):
 * <ul>
 *   <li>{@code # HELP name text} and {@code # TYPE name type} lines, at most one of each per
 *       family, the TYPE before the family's samples; any other {@code #} line is a comment;
 *   <li>samples {@code name{label="value",...} value [timestamp]} with blanks or tabs between the
 *       parts, a trailing comma in the label set, label values escaped with {@code \\}, {@code \"}
 *       and {@code \n};
 *   <li>values as Go writes floats: {@code 1.0}, {@code 5.35e+010}, {@code +Inf}, {@code -Inf},
 *       {@code NaN}; timestamps as integer milliseconds;
 *   <li>blank lines, CR LF line ends, and an OpenMetrics exemplar ({@code # {...} v}) after a
 *       sample, which is skipped.
 * </ul>
 * Anything else fails with an {@link ExpositionFormatException} naming the line, because a
 * half-read scrape would turn into wrong telemetry rather than into no telemetry.
 *
 * <p>Hand-written rather than a regular expression: label values are untrusted text and the format
 * is a small grammar that a cursor reads in one pass.
 */
public final class PrometheusTextParser {

    private PrometheusTextParser() {}

    /** @throws ExpositionFormatException naming the first line that is not valid exposition */
    public static Exposition parse(String text) {
        Exposition.Builder exposition = new Exposition.Builder();
        int number = 0;
        int start = 0;
        while (start < text.length()) {
            int end = text.indexOf('\n', start);
            if (end < 0) {
                end = text.length();
            }
            int stop = end > start && text.charAt(end - 1) == '\r' ? end - 1 : end;
            new LineReader(text.substring(start, stop), ++number, exposition).read();
            start = end + 1;
        }
        return exposition.build();
    }

    /**
     * A number as the exposition writes it, also used for {@code le} bounds.
     *
     * @throws NumberFormatException if it is not one
     */
    static double parseNumber(String token) {
        if (token.isEmpty()) {
            throw new NumberFormatException("empty");
        }
        char first = token.charAt(0);
        String unsigned = first == '+' || first == '-' ? token.substring(1) : token;
        if (unsigned.equalsIgnoreCase("inf") || unsigned.equalsIgnoreCase("infinity")) {
            return first == '-' ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        if (unsigned.equalsIgnoreCase("nan")) {
            return Double.NaN;
        }
        // Double.parseDouble also takes "1d", "0x1p3" and "Infinity" spellings Go does not write.
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (!(c >= '0' && c <= '9') && c != '.' && c != 'e' && c != 'E' && c != '+' && c != '-') {
                throw new NumberFormatException(token);
            }
        }
        return Double.parseDouble(token);
    }

    /** A cursor over one line. */
    private static final class LineReader {

        private final String line;
        private final int number;
        private final Exposition.Builder exposition;
        private int pos;

        LineReader(String line, int number, Exposition.Builder exposition) {
            this.line = line;
            this.number = number;
            this.exposition = exposition;
        }

        void read() {
            skipBlanks();
            if (atEnd()) {
                return;
            }
            if (peek() == '#') {
                pos++;
                readComment();
            } else {
                readSample();
            }
        }

        private void readComment() {
            skipBlanks();
            String keyword = readToken();
            if (!keyword.equals("HELP") && !keyword.equals("TYPE")) {
                return; // a plain comment
            }
            skipBlanks();
            String name = readMetricName();
            if (name.isEmpty()) {
                throw error("# " + keyword + " needs a metric name, found '" + rest() + "'");
            }
            if (!atEnd() && !isBlank(peek())) {
                throw error("invalid character '" + peek() + "' in metric name " + name + rest());
            }
            skipBlanks();
            if (keyword.equals("HELP")) {
                exposition.help(name, unescapeHelp(rest()), number);
                return;
            }
            String keywordOfType = rest().strip();
            MetricType type = MetricType.fromKeyword(keywordOfType).orElseThrow(() -> error(
                    "unknown metric type '" + keywordOfType + "' for " + name
                            + " (counter, gauge, histogram, summary or untyped)"));
            exposition.type(name, type, number);
        }

        private void readSample() {
            String name = readMetricName();
            if (name.isEmpty()) {
                throw error("expected a metric name, found '" + rest() + "'");
            }
            boolean blankAfterName = skipBlanks();
            Map<String, String> labels = new LinkedHashMap<>();
            if (!atEnd() && peek() == '{') {
                pos++;
                readLabels(name, labels);
                skipBlanks();
            } else if (!atEnd() && !blankAfterName) {
                throw error("invalid character '" + peek() + "' in metric name " + name + rest());
            }
            String valueToken = readToken();
            if (valueToken.isEmpty()) {
                throw error("sample " + name + " has no value");
            }
            double value;
            try {
                value = parseNumber(valueToken);
            } catch (NumberFormatException e) {
                throw error("value '" + valueToken + "' of " + name + " is not a number");
            }
            skipBlanks();
            OptionalLong timestamp = OptionalLong.empty();
            if (!atEnd() && peek() != '#') {
                String token = readToken();
                try {
                    timestamp = OptionalLong.of(Long.parseLong(token));
                } catch (NumberFormatException e) {
                    throw error("timestamp '" + token + "' of " + name + " is not whole milliseconds");
                }
                skipBlanks();
            }
            if (!atEnd() && peek() != '#') {
                throw error("unexpected '" + rest() + "' after the sample of " + name);
            }
            exposition.sample(new Sample(name, labels, value, timestamp), number);
        }

        private void readLabels(String metric, Map<String, String> labels) {
            while (true) {
                skipBlanks();
                if (atEnd()) {
                    throw error("label set of " + metric + " is not closed with '}'");
                }
                if (peek() == '}') {
                    pos++;
                    return;
                }
                String label = readLabelName();
                if (label.isEmpty()) {
                    throw error("expected a label name in " + metric + ", found '" + rest() + "'");
                }
                skipBlanks();
                expect('=', "'=' after label " + label + " of " + metric);
                skipBlanks();
                expect('"', "a quoted value for label " + label + " of " + metric);
                String value = readLabelValue(metric, label);
                if (labels.put(label, value) != null) {
                    throw error("label " + label + " appears twice in " + metric);
                }
                skipBlanks();
                if (!atEnd() && peek() == ',') {
                    pos++;
                } else if (atEnd() || peek() != '}') {
                    throw error("expected ',' or '}' after label " + label + " of " + metric);
                }
            }
        }

        private String readLabelValue(String metric, String label) {
            StringBuilder value = new StringBuilder();
            while (!atEnd()) {
                char c = line.charAt(pos++);
                if (c == '"') {
                    return value.toString();
                }
                if (c != '\\') {
                    value.append(c);
                    continue;
                }
                if (atEnd()) {
                    break;
                }
                char escaped = line.charAt(pos++);
                switch (escaped) {
                    case '\\' -> value.append('\\');
                    case '"' -> value.append('"');
                    case 'n' -> value.append('\n');
                    default -> throw error("invalid escape '\\" + escaped + "' in label " + label + " of " + metric
                            + " (only \\\\, \\\" and \\n)");
                }
            }
            throw error("value of label " + label + " of " + metric + " is not closed with '\"'");
        }

        private String unescapeHelp(String text) {
            if (text.indexOf('\\') < 0) {
                return text;
            }
            StringBuilder out = new StringBuilder(text.length());
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c != '\\' || i + 1 == text.length()) {
                    out.append(c);
                    continue;
                }
                char escaped = text.charAt(++i);
                switch (escaped) {
                    case '\\' -> out.append('\\');
                    case 'n' -> out.append('\n');
                    default -> throw error("invalid escape '\\" + escaped + "' in HELP text (only \\\\ and \\n)");
                }
            }
            return out.toString();
        }

        private String readMetricName() {
            int start = pos;
            while (!atEnd() && isNameChar(peek(), pos == start, true)) {
                pos++;
            }
            return line.substring(start, pos);
        }

        private String readLabelName() {
            int start = pos;
            while (!atEnd() && isNameChar(peek(), pos == start, false)) {
                pos++;
            }
            return line.substring(start, pos);
        }

        private static boolean isNameChar(char c, boolean first, boolean colonAllowed) {
            return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (colonAllowed && c == ':')
                    || (!first && c >= '0' && c <= '9');
        }

        private String readToken() {
            int start = pos;
            while (!atEnd() && !isBlank(peek())) {
                pos++;
            }
            return line.substring(start, pos);
        }

        private void expect(char c, String what) {
            if (atEnd() || peek() != c) {
                throw error("expected " + what + ", found '" + rest() + "'");
            }
            pos++;
        }

        /** @return whether anything was skipped */
        private boolean skipBlanks() {
            int start = pos;
            while (!atEnd() && isBlank(peek())) {
                pos++;
            }
            return pos > start;
        }

        private static boolean isBlank(char c) {
            return c == ' ' || c == '\t';
        }

        private boolean atEnd() {
            return pos >= line.length();
        }

        private char peek() {
            return line.charAt(pos);
        }

        private String rest() {
            String rest = line.substring(Math.min(pos, line.length()));
            return rest.length() > 60 ? rest.substring(0, 60) + "..." : rest;
        }

        private ExpositionFormatException error(String message) {
            return new ExpositionFormatException(number, message);
        }
    }
}
