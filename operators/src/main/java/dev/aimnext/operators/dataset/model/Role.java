package dev.aimnext.operators.dataset.model;

import java.util.Locale;
import java.util.Optional;

/**
 * The canonical chat roles every input format is mapped to. They match the roles chat templates
 * understand, so a normalized conversation can be rendered with any model's template.
 */
public enum Role {
    SYSTEM,
    USER,
    ASSISTANT,
    /** The result of a tool or function call, fed back to the assistant. */
    TOOL;

    /** The lower-case name used on the wire and in templates. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a canonical wire name; anything else is empty, so callers can report it as unrecognized. */
    public static Optional<Role> fromWireName(String name) {
        if (name == null) {
            return Optional.empty();
        }
        for (Role role : values()) {
            if (role.wireName().equals(name)) {
                return Optional.of(role);
            }
        }
        return Optional.empty();
    }
}
