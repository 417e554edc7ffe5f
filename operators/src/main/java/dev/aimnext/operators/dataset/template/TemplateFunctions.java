package dev.aimnext.operators.dataset.template;

/** Functions HuggingFace chat templates expect beyond plain Jinja; registered with Jinjava by name. */
public final class TemplateFunctions {

    private TemplateFunctions() {
    }

    /** {@code raise_exception(message)}: transformers' way for a template to reject a conversation. */
    public static Object raiseException(String message) {
        throw new TemplateRaisedException(message == null ? "raise_exception called" : message);
    }
}
