package dev.aimnext.operators.qos.plan;

import dev.aimnext.operators.finetune.profile.model.WeightDtype;
import dev.aimnext.operators.qos.placement.Priority;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * One model to plan, as the command line names it: {@code [NAME=]FILE[:FIELD...]}, where FILE is a
 * HuggingFace {@code config.json} or an AIM profile written by {@code aim profile}, and each FIELD is
 * a weight dtype ({@code bf16}, {@code fp8}, ...), {@code kv=8192x4} or {@code kv=4GiB},
 * {@code kv-dtype=fp8} or {@code priority=high}. A profile brings its own name, dtype, KV floor (one
 * sequence of its max_model_len) and priority; fields given here override the last two.
 *
 * @param name the served model name; empty for a profile, which names itself
 */
public record ModelSpec(
        String name,
        Path file,
        Optional<WeightDtype> dtype,
        Optional<WeightDtype> kvDtype,
        Optional<KvFloor> kvFloor,
        Optional<Priority> priority) {

    public ModelSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(dtype, "dtype");
        Objects.requireNonNull(kvDtype, "kvDtype");
        Objects.requireNonNull(kvFloor, "kvFloor");
        Objects.requireNonNull(priority, "priority");
    }

    public static ModelSpec of(String name, Path file) {
        return new ModelSpec(name, file, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    /**
     * Parses {@code llama=models/llama/config.json:bf16:kv=8192x4:priority=high}.
     *
     * @throws IllegalArgumentException naming the field that is wrong
     */
    public static ModelSpec parse(String text) {
        String[] parts = text.split(":", -1);
        String head = parts[0];
        int eq = head.indexOf('=');
        String name = eq >= 0 ? head.substring(0, eq).trim() : "";
        String file = eq >= 0 ? head.substring(eq + 1).trim() : head.trim();
        if (file.isEmpty() || (eq >= 0 && name.isEmpty())) {
            throw new IllegalArgumentException("model '" + text + "' is not [NAME=]FILE[:FIELD...], "
                    + "e.g. llama=config.json:bf16:kv=8192x4:priority=high");
        }
        ModelSpec spec = of(name, Path.of(file));
        for (int i = 1; i < parts.length; i++) {
            spec = spec.with(parts[i].trim(), text);
        }
        return spec;
    }

    private ModelSpec with(String field, String text) {
        int eq = field.indexOf('=');
        String key = eq >= 0 ? field.substring(0, eq) : "dtype";
        String value = eq >= 0 ? field.substring(eq + 1) : field;
        if (value.isEmpty()) {
            throw new IllegalArgumentException("model '" + text + "': empty field '" + field + "'");
        }
        return switch (key) {
            case "dtype" -> new ModelSpec(name, file, Optional.of(WeightDtype.parse(value)), kvDtype, kvFloor, priority);
            case "kv-dtype" -> new ModelSpec(name, file, dtype, Optional.of(WeightDtype.parse(value)), kvFloor, priority);
            case "kv" -> new ModelSpec(name, file, dtype, kvDtype, Optional.of(KvFloor.parse(value)), priority);
            case "priority" -> new ModelSpec(name, file, dtype, kvDtype, kvFloor, Optional.of(Priority.parse(value)));
            default -> throw new IllegalArgumentException("model '" + text + "': unknown field '" + key
                    + "'; expected a dtype, kv=, kv-dtype= or priority=");
        };
    }
}
