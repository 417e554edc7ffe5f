package dev.aimnext.jobs.dataset;

import dev.aimnext.operators.dataset.model.DatasetFormat;
import dev.aimnext.operators.dataset.read.InputLocation;
import dev.aimnext.operators.dataset.template.BuiltInTemplate;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * A {@code prepare.yaml} spec: the {@link DatasetOptions} keys without their {@code aim.dataset.}
 * prefix, so a spec, the CLI flags and a cluster deployment's configuration use the same names.
 *
 * <pre>{@code
 * inputs: [data/chat.jsonl, data/more/]
 * output-dir: prepared/
 * chat-template: llama3
 * tokenizer: models/llama-3.1-8b/tokenizer.json
 * max-tokens: 4096
 * on-overflow: truncate
 * pack-max-seq-len: 4096
 * }</pre>
 *
 * <p>Keys are checked strictly: an unknown key fails with the list of known ones, so a typo is not
 * silently ignored. Relative paths are resolved against the spec's folder.
 */
public final class DatasetSpec {

    private static final String PREFIX = "aim.dataset.";

    /** Short names for {@code format}, as the CLI and specs take them, next to the enum names. */
    private static final Map<String, DatasetFormat> FORMAT_NAMES = Map.of(
            "alpaca", DatasetFormat.ALPACA,
            "sharegpt", DatasetFormat.SHAREGPT,
            "openai", DatasetFormat.OPENAI_MESSAGES,
            "completion", DatasetFormat.COMPLETION,
            "preference", DatasetFormat.PREFERENCE);

    /** The format a short name ({@code alpaca}, {@code sharegpt}, {@code openai}, ...) stands for. */
    public static Optional<DatasetFormat> formatByShortName(String name) {
        return Optional.ofNullable(FORMAT_NAMES.get(name));
    }

    private static final List<String> PATH_KEYS = List.of("inputs", "output-dir", "tokenizer", "chat-template", "pii-policy");

    private DatasetSpec() {}

    /** The spec file as job configuration. */
    public static Configuration load(Path spec) throws IOException {
        Object root;
        try (Reader in = Files.newBufferedReader(spec)) {
            root = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
        } catch (YAMLException e) {
            throw new IllegalArgumentException(spec + ": not valid YAML: " + e.getMessage(), e);
        }
        if (!(root instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException(spec + ": expected a mapping of settings at the top level");
        }
        Path base = spec.toAbsolutePath().getParent();
        Map<String, String> values = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String key = String.valueOf(e.getKey());
            values.put(key, value(spec, key, e.getValue(), base));
        }
        return fromSpecKeys(values, spec.toString());
    }

    /** Configuration from spec keys (the option keys without {@code aim.dataset.}), rejecting unknown ones. */
    public static Configuration fromSpecKeys(Map<String, String> values, String source) {
        Map<String, String> prefixed = new LinkedHashMap<>();
        values.forEach((k, v) -> prefixed.put(PREFIX + k, v));
        return configuration(prefixed, source);
    }

    /** Flink configuration from {@code aim.dataset.*} values, rejecting unknown keys; {@code source} names them in errors. */
    public static Configuration configuration(Map<String, String> values, String source) {
        Map<String, ConfigOption<?>> known = DatasetOptions.ALL.stream()
                .collect(Collectors.toMap(ConfigOption::key, o -> o, (a, b) -> a, TreeMap::new));
        for (String key : values.keySet()) {
            if (!known.containsKey(key)) {
                throw new IllegalArgumentException(source + ": unknown setting '" + key.substring(PREFIX.length())
                        + "'; known: " + known.keySet().stream().map(k -> k.substring(PREFIX.length()))
                                .collect(Collectors.joining(", ")));
            }
        }
        Map<String, String> normalized = new LinkedHashMap<>(values);
        normalized.computeIfPresent(DatasetOptions.FORMAT.key(), (k, v) -> formatByShortName(v.toLowerCase(Locale.ROOT)).map(Enum::name).orElse(v));
        return Configuration.fromMap(normalized);
    }

    private static String value(Path spec, String key, Object value, Path base) {
        if (value == null) {
            throw new IllegalArgumentException(spec + ": '" + key + "' has no value");
        }
        boolean paths = PATH_KEYS.contains(key);
        if (value instanceof List<?> list) {
            if (!"inputs".equals(key)) {
                throw new IllegalArgumentException(spec + ": '" + key + "' takes one value, not a list");
            }
            return list.stream().map(v -> resolve(String.valueOf(v), base, true)).collect(Collectors.joining(";"));
        }
        if (value instanceof Map<?, ?>) {
            throw new IllegalArgumentException(spec + ": '" + key + "' takes a value, not a mapping");
        }
        return resolve(String.valueOf(value), base, paths);
    }

    /** Relative paths are relative to the spec; built-in template names are not paths. */
    private static String resolve(String v, Path base, boolean isPath) {
        if (!isPath || base == null || InputLocation.isUri(v) || Path.of(v).isAbsolute() || BuiltInTemplate.byName(v).isPresent()) {
            return v;
        }
        return base.resolve(v).normalize().toString();
    }
}
