package dev.aimnext.operators.guardrails.train;

import java.util.Locale;

/**
 * A guardrail that a head is trained for. Training files are named by task prefix ({@code
 * injection_*.jsonl}, {@code toxicity_*.jsonl}) and use two labels each; the head file and the
 * score key are named after the task.
 */
public enum GuardrailTask {
    PROMPT_INJECTION("prompt_injection", "injection_", "injection", "benign"),
    TOXICITY("toxicity", "toxicity_", "toxic", "ok");

    private final String headName;
    private final String filePrefix;
    private final String positiveLabel;
    private final String negativeLabel;

    GuardrailTask(String headName, String filePrefix, String positiveLabel, String negativeLabel) {
        this.headName = headName;
        this.filePrefix = filePrefix;
        this.positiveLabel = positiveLabel;
        this.negativeLabel = negativeLabel;
    }

    /** The head's file base name and score key, e.g. {@code prompt_injection}. */
    public String headName() {
        return headName;
    }

    public String filePrefix() {
        return filePrefix;
    }

    public String positiveLabel() {
        return positiveLabel;
    }

    public String negativeLabel() {
        return negativeLabel;
    }

    /** By head name ({@code prompt_injection}) or short name ({@code injection}, {@code toxicity}). */
    public static GuardrailTask parse(String name) {
        String n = name.toLowerCase(Locale.ROOT).replace('-', '_');
        for (GuardrailTask t : values()) {
            if (t.headName.equals(n) || t.filePrefix.equals(n + "_")) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown guardrail '" + name + "'; expected prompt_injection or toxicity");
    }
}
