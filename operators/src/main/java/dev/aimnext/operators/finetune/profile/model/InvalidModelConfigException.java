package dev.aimnext.operators.finetune.profile.model;

/**
 * A config.json that cannot describe a model: unreadable, not JSON, or missing a field the shape
 * needs. The message is written for the person who passed the file, and names the field.
 */
public final class InvalidModelConfigException extends IllegalArgumentException {

    public InvalidModelConfigException(String message) {
        super(message);
    }

    public InvalidModelConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
