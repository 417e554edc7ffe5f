package dev.aimnext.operators.finetune.spec;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One mapping of the spec with typed reads that never throw: a wrong value is recorded in the
 * shared error list under its full field path and read as absent ({@code null}), so parsing goes on
 * and every problem of the file is reported together.
 */
final class SpecNode {

    private final String path;
    private final Map<String, Object> values;
    private final List<String> errors;

    private SpecNode(String path, Map<String, Object> values, List<String> errors) {
        this.path = path;
        this.values = values;
        this.errors = errors;
    }

    /**
     * The mapping at {@code path}; an absent node reads as empty, a non-mapping is an error.
     *
     * @param known the keys allowed here; any other is reported with the known ones listed
     */
    static SpecNode of(Object raw, String path, List<String> errors, Set<String> known) {
        Map<String, Object> values = new LinkedHashMap<>();
        if (raw instanceof Map<?, ?> map) {
            map.forEach((k, v) -> values.put(String.valueOf(k), v));
        } else if (raw != null) {
            errors.add(path + ": must be a mapping of fields, was " + describe(raw));
        }
        SpecNode node = new SpecNode(path, values, errors);
        for (String key : values.keySet()) {
            if (!known.contains(key)) {
                node.error(key, "unknown field; known here: " + String.join(", ", new TreeSet<>(known)));
            }
        }
        return node;
    }

    String path() {
        return path;
    }

    String pathOf(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    boolean has(String key) {
        return values.get(key) != null;
    }

    Object raw(String key) {
        return values.get(key);
    }

    void error(String key, String message) {
        errors.add(pathOf(key) + ": " + message);
    }

    /** An error at a path below this node that is not a plain key, e.g. a list element. */
    void errorAt(String fullPath, String message) {
        errors.add(fullPath + ": " + message);
    }

    SpecNode child(String key, Set<String> known) {
        return of(values.get(key), pathOf(key), errors, known);
    }

    /** A scalar as text; {@code null} when absent or not a scalar (then an error is recorded). */
    String string(String key) {
        Object v = values.get(key);
        if (v == null) {
            return null;
        }
        if (v instanceof Map<?, ?> || v instanceof List<?>) {
            error(key, "must be a single value, was " + describe(v));
            return null;
        }
        String text = String.valueOf(v).trim();
        if (text.isEmpty()) {
            error(key, "must not be empty");
            return null;
        }
        return text;
    }

    String requiredString(String key) {
        if (!has(key)) {
            error(key, "is required");
            return null;
        }
        return string(key);
    }

    /** A whole number in [min, max]. */
    Integer integer(String key, long min, long max) {
        Object v = values.get(key);
        if (v == null) {
            return null;
        }
        if (!(v instanceof Integer || v instanceof Long) || ((Number) v).longValue() < min || ((Number) v).longValue() > max) {
            error(key, "must be a whole number in [" + min + ", " + max + "], was " + describe(v));
            return null;
        }
        return ((Number) v).intValue();
    }

    /** A number in the interval the bounds describe; open bounds exclude their end. */
    Double number(String key, double min, boolean minOpen, double max, boolean maxOpen) {
        Object v = values.get(key);
        if (v == null) {
            return null;
        }
        Double d = asNumber(v);
        if (d == null || (minOpen ? d <= min : d < min) || (maxOpen ? d >= max : d > max)) {
            error(key, "must be " + (d == null ? "a number " : "") + "in " + (minOpen ? "(" : "[") + plain(min) + ", "
                    + plain(max) + (maxOpen ? ")" : "]") + ", was " + describe(v));
            return null;
        }
        return d;
    }

    Boolean bool(String key) {
        Object v = values.get(key);
        if (v == null) {
            return null;
        }
        if (!(v instanceof Boolean b)) {
            error(key, "must be true or false, was " + describe(v));
            return null;
        }
        return b;
    }

    /** One of {@code allowed}'s keys, case-insensitively; the value it maps to. */
    <T> T choice(String key, Map<String, T> allowed) {
        String text = string(key);
        if (text == null) {
            return null;
        }
        T value = allowed.get(text.toLowerCase(Locale.ROOT));
        if (value == null) {
            error(key, "must be one of " + String.join(", ", allowed.keySet()) + ", was " + describe(text));
        }
        return value;
    }

    /**
     * A number written as a YAML float, an integer, or a string such as {@code 2e-4}: YAML 1.1 reads
     * an exponent without a decimal point as text, a trap users should not have to know about.
     */
    private static Double asNumber(Object v) {
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        if (v instanceof String s && !s.isBlank() && s.chars().allMatch(c -> "0123456789.eE+-".indexOf(c) >= 0)) {
            try {
                return Double.parseDouble(s);
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    static String plain(double d) {
        return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
    }

    static String describe(Object v) {
        if (v instanceof Map<?, ?>) {
            return "a mapping";
        }
        if (v instanceof List<?>) {
            return "a list";
        }
        return v instanceof String s ? "'" + s + "'" : String.valueOf(v);
    }

    /** The entries, for sections of free-form settings. */
    Map<String, Object> entries() {
        return values;
    }

    /** A copy of the keys, in file order. */
    List<String> keys() {
        return new ArrayList<>(values.keySet());
    }
}
