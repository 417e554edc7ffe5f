package dev.aimnext.operators.guardrails.pii.policy;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Function;

/**
 * Where the per-tenant HMAC secrets come from. Each tenant may name its own environment variable
 * (or, for demos only, an inline value); other tenants use the default. A tenant never silently
 * shares another tenant's secret: a missing variable is an error, not a fallback.
 */
public record HashSecrets(
        String defaultEnv,
        String defaultInline,
        Map<String, String> tenantEnv,
        Map<String, String> tenantInline)
        implements Serializable {

    public HashSecrets {
        tenantEnv = Map.copyOf(tenantEnv);
        tenantInline = Map.copyOf(tenantInline);
    }

    public static HashSecrets none() {
        return new HashSecrets(null, null, Map.of(), Map.of());
    }

    /**
     * The secret for a tenant.
     *
     * @throws IllegalStateException naming the variable to set, never a value
     */
    public byte[] secretFor(String tenant, Function<String, String> env) {
        String inline = tenantInline.get(tenant);
        String variable = tenantEnv.get(tenant);
        if (inline == null && variable == null) {
            inline = defaultInline;
            variable = defaultEnv;
        }
        if (inline != null) {
            return inline.getBytes(StandardCharsets.UTF_8);
        }
        if (variable == null) {
            throw new IllegalStateException(
                    "the policy hashes PII but sets no secret for tenant '"
                            + tenant
                            + "': set pii.hash.secret_env");
        }
        String value = env.apply(variable);
        if (value == null || value.isEmpty()) {
            throw new IllegalStateException(
                    "the policy hashes PII with the secret in environment variable "
                            + variable
                            + ", which is not set");
        }
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
