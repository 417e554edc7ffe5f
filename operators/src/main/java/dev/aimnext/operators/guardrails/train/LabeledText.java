package dev.aimnext.operators.guardrails.train;

/**
 * One training or evaluation row.
 *
 * @param text the text as written in the file
 * @param positive whether it carries the task's positive label (injection, toxic)
 * @param file the file's name, for weighting and reports
 */
public record LabeledText(String text, boolean positive, String file) {}
