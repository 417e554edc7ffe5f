package dev.aimnext.jobs.local;

/** A problem with the local stack that the user can fix; the CLI prints only its message. */
public class LocalStackException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public LocalStackException(String message) {
        super(message);
    }

    public LocalStackException(String message, Throwable cause) {
        super(message, cause);
    }
}
