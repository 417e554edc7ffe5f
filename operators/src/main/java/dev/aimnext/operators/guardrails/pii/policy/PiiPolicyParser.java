package dev.aimnext.operators.guardrails.pii.policy;

import dev.aimnext.operators.guardrails.pii.PiiEntity;

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
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a guardrail policy YAML document. Unknown keys are errors, because a misspelt action would
 * otherwise fall back to the default silently. The top level keeps room for the tenant policy engine
 * ({@code tenant}, {@code run_mode}) and the model guardrails ({@code input}, {@code output},
 * {@code packs}, {@code on_error}, read by {@code guardrails.policy.GuardrailPolicyParser}); this
 * parser reads {@code version} and {@code pii}.
 */
public final class PiiPolicyParser {

    public static final String DEFAULT_POLICY_RESOURCE = "aim-guardrails/default-policy.yaml";

    private static final Set<String> TOP_LEVEL =
            Set.of("version", "tenant", "description", "pii", "input", "output", "run_mode",
                    "on_error", "packs");
    private static final Set<String> PII_KEYS =
            Set.of("enabled", "threshold", "context_window_words", "phone_regions",
                    "default_action", "actions", "hash");
    private static final Set<String> HASH_KEYS = Set.of("secret_env", "secret", "tenants");

    private PiiPolicyParser() {}

    public static PiiPolicy defaultPolicy() {
        try (InputStream in =
                PiiPolicyParser.class.getClassLoader().getResourceAsStream(DEFAULT_POLICY_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + DEFAULT_POLICY_RESOURCE);
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), DEFAULT_POLICY_RESOURCE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static PiiPolicy parseFile(Path file) {
        try {
            return parse(Files.readString(file), file.toString());
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read policy file " + file + ": " + e.getMessage());
        }
    }

    /**
     * @param source where the text came from, for error messages
     * @throws IllegalArgumentException with the source and the offending key
     */
    public static PiiPolicy parse(String yaml, String source) {
        Object document;
        try {
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(false);
            options.setMaxAliasesForCollections(10);
            document = new Yaml(new SafeConstructor(options)).load(yaml);
        } catch (YAMLException e) {
            throw new IllegalArgumentException(source + ": not valid YAML: " + firstLine(e.getMessage()));
        }
        if (!(document instanceof Map<?, ?> root)) {
            throw new IllegalArgumentException(source + ": a policy must be a YAML mapping");
        }
        try {
            checkKeys(root, TOP_LEVEL, "");
            String version = string(root.get("version"), "version", null);
            if (version == null || version.isBlank()) {
                throw new IllegalArgumentException("'version' is required, so verdicts can name it");
            }
            Map<?, ?> pii = map(root.get("pii"), "pii");
            checkKeys(pii, PII_KEYS, "pii.");
            double threshold = number(pii.get("threshold"), "pii.threshold", 0.5);
            if (threshold < 0 || threshold > 1) {
                throw new IllegalArgumentException("pii.threshold must be within [0, 1]");
            }
            int window = (int) number(pii.get("context_window_words"), "pii.context_window_words", 5);
            if (window < 0 || window > 20) {
                throw new IllegalArgumentException("pii.context_window_words must be within [0, 20]");
            }
            Map<PiiEntity, PiiAction> entityActions = new EnumMap<>(PiiEntity.class);
            Map<PiiEntity.Family, PiiAction> familyActions = new EnumMap<>(PiiEntity.Family.class);
            for (Map.Entry<?, ?> entry : map(pii.get("actions"), "pii.actions").entrySet()) {
                String key = String.valueOf(entry.getKey());
                PiiAction action = PiiAction.parse(string(entry.getValue(), "pii.actions." + key, ""));
                if (key.equalsIgnoreCase("SECRET")) {
                    familyActions.put(PiiEntity.Family.SECRET, action);
                } else {
                    entityActions.put(PiiEntity.parse(key), action);
                }
            }
            PiiPolicy policy =
                    new PiiPolicy(
                            version,
                            bool(pii.get("enabled"), "pii.enabled", true),
                            threshold,
                            window,
                            regions(pii.get("phone_regions")),
                            PiiAction.parse(string(pii.get("default_action"), "pii.default_action", "mask")),
                            entityActions,
                            familyActions,
                            hashSecrets(map(pii.get("hash"), "pii.hash")));
            return policy;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": " + e.getMessage());
        }
    }

    private static HashSecrets hashSecrets(Map<?, ?> hash) {
        checkKeys(hash, HASH_KEYS, "pii.hash.");
        Map<String, String> tenantEnv = new HashMap<>();
        Map<String, String> tenantInline = new HashMap<>();
        for (Map.Entry<?, ?> entry : map(hash.get("tenants"), "pii.hash.tenants").entrySet()) {
            String tenant = String.valueOf(entry.getKey());
            Map<?, ?> spec = map(entry.getValue(), "pii.hash.tenants." + tenant);
            checkKeys(spec, Set.of("secret_env", "secret"), "pii.hash.tenants." + tenant + ".");
            String env = string(spec.get("secret_env"), "secret_env", null);
            String inline = string(spec.get("secret"), "secret", null);
            if (env != null) {
                tenantEnv.put(tenant, env);
            }
            if (inline != null) {
                tenantInline.put(tenant, inline);
            }
        }
        return new HashSecrets(
                string(hash.get("secret_env"), "pii.hash.secret_env", null),
                string(hash.get("secret"), "pii.hash.secret", null),
                tenantEnv,
                tenantInline);
    }

    private static List<String> regions(Object value) {
        if (value == null) {
            return List.of("US", "GB", "DE", "FR", "IN", "CA", "AU");
        }
        if (!(value instanceof List<?> list)) {
            throw new IllegalArgumentException("pii.phone_regions must be a list of region codes");
        }
        List<String> regions = new ArrayList<>();
        for (Object region : list) {
            regions.add(String.valueOf(region).trim().toUpperCase());
        }
        return regions;
    }

    private static void checkKeys(Map<?, ?> map, Set<String> allowed, String prefix) {
        for (Object key : map.keySet()) {
            if (!allowed.contains(String.valueOf(key))) {
                throw new IllegalArgumentException(
                        "unknown key '" + prefix + key + "'; expected one of " + allowed);
            }
        }
    }

    private static Map<?, ?> map(Object value, String key) {
        if (value == null) {
            return Map.of();
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException("'" + key + "' must be a mapping");
        }
        return map;
    }

    private static String string(Object value, String key, String fallback) {
        if (value == null) {
            return fallback;
        }
        if (value instanceof Map || value instanceof List) {
            throw new IllegalArgumentException("'" + key + "' must be a scalar");
        }
        return String.valueOf(value);
    }

    private static double number(Object value, String key, double fallback) {
        if (value == null) {
            return fallback;
        }
        if (!(value instanceof Number n)) {
            throw new IllegalArgumentException("'" + key + "' must be a number");
        }
        return n.doubleValue();
    }

    private static boolean bool(Object value, String key, boolean fallback) {
        if (value == null) {
            return fallback;
        }
        if (!(value instanceof Boolean b)) {
            throw new IllegalArgumentException("'" + key + "' must be true or false");
        }
        return b;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "parse error";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
