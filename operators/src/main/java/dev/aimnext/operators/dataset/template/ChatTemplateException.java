package dev.aimnext.operators.dataset.template;

/** A chat template could not be loaded or rendered, or it refused the conversation. */
public class ChatTemplateException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ChatTemplateException(String message) {
        super(message);
    }

    public ChatTemplateException(String message, Throwable cause) {
        super(message, cause);
    }
}
