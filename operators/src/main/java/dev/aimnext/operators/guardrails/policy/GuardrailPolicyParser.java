package dev.aimnext.operators.guardrails.policy;

import dev.aimnext.operators.guardrails.pii.policy.PiiPolicy;
import dev.aimnext.operators.guardrails.pii.policy.PiiPolicyParser;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a whole guardrail policy: {@code version} and {@code pii} through {@link PiiPolicyParser},
 * and the model guardrails here:
 *
 * <pre>
 * on_error: fail_closed            # default of every entry below; fail_closed when absent
 * packs:                           # alias → builtin:&lt;name&gt; or a folder; default: builtin:guard-minilm
 *   default: builtin:guard-minilm
 * input:                           # model guardrails on requests, in order
 *   - guardrail: prompt_injection  # a score key of the pack
 *     action: block                # block (default) or report
 *     threshold: 0.83              # optional; default: the pack's calibrated threshold
 *     on_error: fail_closed        # optional: fail_open or fail_closed
 *     pack: default                # optional alias; default: default
 * output:                          # model guardrails on model responses
 *   - guardrail: toxicity
 * </pre>
 *
 * A policy without {@code input} and {@code output} has no model guardrails. Errors name the source
 * and the field, e.g. {@code policy.yaml: input[1].threshold must be a number within [0, 1]}. Pack
 * contents (which scores a pack offers, its thresholds) are checked when the policy is bound to
 * its packs, by {@link StageGuardrails#bind}.
 */
public final class GuardrailPolicyParser {

    /** The alias an entry reads when it names no {@code pack}. */
    public static final String DEFAULT_PACK = "default";

    private static final Set<String> ENTRY_KEYS = Set.of("guardrail", "action", "threshold", "on_error", "pack");

    private GuardrailPolicyParser() {}

    /** The built-in default policy: PII masking plus prompt-injection and toxicity blocking. */
    public static GuardrailPolicy defaultPolicy() {
        String resource = PiiPolicyParser.DEFAULT_POLICY_RESOURCE;
        try (InputStream in = GuardrailPolicyParser.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), resource, Path.of(""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads a policy file; relative pack folders are resolved against its folder. */
    public static GuardrailPolicy parseFile(Path file) {
        String yaml;
        try {
            yaml = Files.readString(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read policy file " + file + ": " + e.getMessage());
        }
        Path dir = file.toAbsolutePath().getParent();
        return parse(yaml, file.toString(), dir == null ? Path.of("") : dir);
    }

    /**
     * @param source where the text came from, for error messages
     * @param baseDir folder that relative pack folders are resolved against
     * @throws IllegalArgumentException with the source and the offending field
     */
    public static GuardrailPolicy parse(String yaml, String source, Path baseDir) {
        PiiPolicy pii = PiiPolicyParser.parse(yaml, source); // also checks the YAML and the top-level keys
        Map<?, ?> root = load(yaml);
        try {
            OnError defaultOnError = root.get("on_error") == null
                    ? OnError.FAIL_CLOSED
                    : OnError.parse(scalar(root.get("on_error"), "on_error"), "on_error");
            Map<String, PackReference> packs = packs(root.get("packs"), baseDir);
            List<ModelGuardrail> input = stage(root.get("input"), "input", packs, defaultOnError);
            List<ModelGuardrail> output = stage(root.get("output"), "output", packs, defaultOnError);
            return new GuardrailPolicy(pii.version(), source, pii, packs, input, output);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": " + e.getMessage());
        }
    }

    private static Map<String, PackReference> packs(Object value, Path baseDir) {
        Map<String, PackReference> packs = new LinkedHashMap<>();
        if (value == null) {
            packs.put(DEFAULT_PACK, PackReference.DEFAULT);
            return packs;
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException("'packs' must map pack names to builtin:<name> or a folder");
        }
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            String alias = String.valueOf(entry.getKey());
            String field = "packs." + alias;
            if (!alias.matches("[A-Za-z0-9_-]+")) {
                throw new IllegalArgumentException(field + ": a pack name may use letters, digits, '_' and '-'");
            }
            packs.put(alias, PackReference.parse(scalar(entry.getValue(), field), baseDir, field));
        }
        // An omitted 'default' still means the built-in pack, so entries without 'pack:' keep working.
        packs.putIfAbsent(DEFAULT_PACK, PackReference.DEFAULT);
        return packs;
    }

    private static List<ModelGuardrail> stage(
            Object value, String stage, Map<String, PackReference> packs, OnError defaultOnError) {
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> entries)) {
            throw new IllegalArgumentException(
                    "'" + stage + "' must be a list of model guardrails, e.g. [{guardrail: toxicity, action: block}]");
        }
        List<ModelGuardrail> guardrails = new ArrayList<>();
        Map<String, String> seen = new LinkedHashMap<>();
        for (int i = 0; i < entries.size(); i++) {
            String field = stage + "[" + i + "]";
            if (!(entries.get(i) instanceof Map<?, ?> entry)) {
                throw new IllegalArgumentException(field + " must be a mapping with at least 'guardrail'");
            }
            for (Object key : entry.keySet()) {
                if (!ENTRY_KEYS.contains(String.valueOf(key))) {
                    throw new IllegalArgumentException(
                            "unknown key '" + field + "." + key + "'; expected one of " + ENTRY_KEYS);
                }
            }
            Object nameValue = entry.get("guardrail");
            if (nameValue == null || scalar(nameValue, field + ".guardrail").isBlank()) {
                throw new IllegalArgumentException(field + ".guardrail is required: a score key of the pack");
            }
            String name = scalar(nameValue, field + ".guardrail").trim();
            String earlier = seen.put(name, field);
            if (earlier != null) {
                throw new IllegalArgumentException(
                        field + ".guardrail: '" + name + "' is already listed at " + earlier);
            }
            ModelAction action = entry.get("action") == null
                    ? ModelAction.BLOCK
                    : ModelAction.parse(scalar(entry.get("action"), field + ".action"), field + ".action");
            Double threshold = null;
            if (entry.get("threshold") != null) {
                if (!(entry.get("threshold") instanceof Number n)
                        || !(n.doubleValue() >= 0 && n.doubleValue() <= 1)) {
                    throw new IllegalArgumentException(field + ".threshold must be a number within [0, 1]");
                }
                threshold = n.doubleValue();
            }
            OnError onError = entry.get("on_error") == null
                    ? defaultOnError
                    : OnError.parse(scalar(entry.get("on_error"), field + ".on_error"), field + ".on_error");
            String pack = entry.get("pack") == null ? DEFAULT_PACK : scalar(entry.get("pack"), field + ".pack").trim();
            if (!packs.containsKey(pack)) {
                throw new IllegalArgumentException(
                        field + ".pack: unknown pack '" + pack + "'; 'packs' defines " + packs.keySet());
            }
            guardrails.add(new ModelGuardrail(name, pack, action, threshold, onError, field));
        }
        return guardrails;
    }

    /** The document as a mapping; {@link PiiPolicyParser#parse} has already rejected anything else. */
    private static Map<?, ?> load(String yaml) {
        try {
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(false);
            options.setMaxAliasesForCollections(10);
            return (Map<?, ?>) new Yaml(new SafeConstructor(options)).load(yaml);
        } catch (YAMLException | ClassCastException e) {
            throw new IllegalStateException("policy passed the PII parser but cannot be read again", e);
        }
    }

    private static String scalar(Object value, String field) {
        if (value instanceof Map || value instanceof List) {
            throw new IllegalArgumentException("'" + field + "' must be a scalar");
        }
        return String.valueOf(value);
    }
}
