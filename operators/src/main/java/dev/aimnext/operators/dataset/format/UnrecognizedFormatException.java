package dev.aimnext.operators.dataset.format;

/**
 * Thrown when a file's format cannot be decided from its first rows. The message names the file and
 * what was seen, and suggests the override, because guessing a format would turn a whole file into
 * rejects with misleading reasons.
 */
public final class UnrecognizedFormatException extends RuntimeException {

    public UnrecognizedFormatException(String message) {
        super(message);
    }
}
