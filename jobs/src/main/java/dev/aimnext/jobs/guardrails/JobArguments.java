package dev.aimnext.jobs.guardrails;

import org.apache.flink.configuration.Configuration;

import java.util.HashMap;
import java.util.Map;

/** Turns {@code --key value} program arguments into a Flink {@link Configuration}. */
public final class JobArguments {

    private JobArguments() {}

    public static Configuration parse(String[] args) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("expected --key value, got '" + arg + "'");
            }
            String key = arg.substring(2);
            int eq = key.indexOf('=');
            if (eq > 0) {
                values.put(key.substring(0, eq), key.substring(eq + 1));
            } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                values.put(key, args[++i]);
            } else {
                throw new IllegalArgumentException("missing value for --" + key);
            }
        }
        return Configuration.fromMap(values);
    }
}
