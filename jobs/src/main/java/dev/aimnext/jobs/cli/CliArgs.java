package dev.aimnext.jobs.cli;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** {@code --name value} options of a subcommand, with clear errors for typos and bad numbers. */
final class CliArgs {

    private final Map<String, String> values = new HashMap<>();
    private final Set<String> consumed = new HashSet<>();

    CliArgs(String[] args, int from) {
        this(args, from, Set.of());
    }

    /** @param flags options that take no value, such as {@code no-pii-scrub}; read them with {@link #flag} */
    CliArgs(String[] args, int from, Set<String> flags) {
        for (int i = from; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--") || arg.length() == 2) {
                throw new IllegalArgumentException("unexpected argument '" + arg + "'");
            }
            String name = arg.substring(2);
            int eq = name.indexOf('=');
            if (flags.contains(name)) {
                values.put(name, "true");
            } else if (eq > 0) {
                values.put(name.substring(0, eq), name.substring(eq + 1));
            } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                values.put(name, args[++i]);
            } else {
                throw new IllegalArgumentException("option --" + name + " needs a value");
            }
        }
    }

    Optional<String> optional(String name) {
        consumed.add(name);
        return Optional.ofNullable(values.get(name));
    }

    boolean flag(String name) {
        return optional(name).isPresent();
    }

    String value(String name, String fallback) {
        return optional(name).orElse(fallback);
    }

    int intValue(String name, int fallback) {
        Optional<String> v = optional(name);
        try {
            return v.map(Integer::parseInt).orElse(fallback);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a whole number, got '" + v.get() + "'");
        }
    }

    double doubleValue(String name, double fallback) {
        Optional<String> v = optional(name);
        try {
            double d = v.map(Double::parseDouble).orElse(fallback);
            if (d <= 0) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a positive number, got '" + v.orElse("") + "'");
        }
    }

    /**
     * The value of an option of the form {@code KEY=VALUE[,KEY=VALUE...]}, in order; a key that
     * does not start with {@code keyPrefix} gets it, so users may leave a long common prefix out.
     * Blank items are skipped; an item without {@code =} or without a key fails naming the option.
     */
    static Map<String, String> keyValues(String option, String value, String keyPrefix) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String kv : value.split(",")) {
            if (kv.isBlank()) {
                continue;
            }
            int eq = kv.indexOf('=');
            if (eq <= 0 || kv.substring(0, eq).isBlank()) {
                throw new IllegalArgumentException("--" + option + " takes KEY=VALUE[,KEY=VALUE...], got '" + kv.trim() + "'");
            }
            String key = kv.substring(0, eq).trim();
            out.put(key.startsWith(keyPrefix) ? key : keyPrefix + key, kv.substring(eq + 1).trim());
        }
        return out;
    }

    /** Rejects options the command does not know, so a typo is not silently ignored. */
    void requireConsumed() {
        for (String name : values.keySet()) {
            if (!consumed.contains(name)) {
                throw new IllegalArgumentException("unknown option --" + name);
            }
        }
    }
}
