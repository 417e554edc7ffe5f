package dev.aimnext.operators.finetune.template;

/** A training template that cannot be used, with the file and key in the message. */
public class TemplateException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public TemplateException(String message) {
        super(message);
    }
}
