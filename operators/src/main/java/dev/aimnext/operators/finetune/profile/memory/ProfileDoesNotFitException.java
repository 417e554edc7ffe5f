package dev.aimnext.operators.finetune.profile.memory;

/**
 * The model, method and context asked for do not fit the partition. The message says what needs how
 * many GiB against what the partition has, and what to change.
 */
public final class ProfileDoesNotFitException extends IllegalArgumentException {

    public ProfileDoesNotFitException(String message) {
        super(message);
    }
}
