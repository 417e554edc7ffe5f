package dev.aimnext.operators.dataset.stage;

/** Nothing survived validation and dedup; the message names the main reasons. */
public class NoValidRowsException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public NoValidRowsException(String message) {
        super(message);
    }
}
