package dev.aimnext.operators.finetune.run;

/** A line that claims to be an event ({@code "aim_event"}) but breaks the protocol; the message says how. */
public final class MalformedEventException extends Exception {

    private static final long serialVersionUID = 1L;

    public MalformedEventException(String message) {
        super(message);
    }
}
