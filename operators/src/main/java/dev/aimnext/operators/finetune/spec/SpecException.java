package dev.aimnext.operators.finetune.spec;

import java.util.List;

/**
 * A FineTuningJob spec that cannot be run. It carries every problem found, not just the first, each
 * as {@code field.path: what is wrong}, so one edit-and-retry round fixes them all.
 */
public final class SpecException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final transient List<String> errors;

    public SpecException(String source, List<String> errors) {
        super(message(source, errors));
        this.errors = List.copyOf(errors);
    }

    /** Every problem as {@code spec.hyperparameters.learningRate: must be in (0, 0.01], was 3}, in file order. */
    public List<String> errors() {
        return errors;
    }

    private static String message(String source, List<String> errors) {
        StringBuilder out = new StringBuilder(source).append(": ").append(errors.size())
                .append(errors.size() == 1 ? " error" : " errors").append(" in the FineTuningJob spec");
        errors.forEach(e -> out.append("\n  - ").append(e));
        return out.toString();
    }
}
