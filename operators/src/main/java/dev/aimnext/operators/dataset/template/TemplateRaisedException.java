package dev.aimnext.operators.dataset.template;

/**
 * The template itself refused the conversation by calling {@code raise_exception(message)}, as
 * HuggingFace templates do for unsupported roles or non-alternating turns. The message is the
 * template's own.
 */
public final class TemplateRaisedException extends ChatTemplateException {

    private static final long serialVersionUID = 1L;

    public TemplateRaisedException(String message) {
        super(message);
    }
}
