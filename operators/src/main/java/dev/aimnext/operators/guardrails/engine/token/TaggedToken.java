package dev.aimnext.operators.guardrails.engine.token;

/**
 * One token of a text with its label probabilities.
 *
 * @param start UTF-16 offset of the token in the text
 * @param end UTF-16 offset after it
 * @param wordId the tokenizer's word index; sub-word pieces of one word share it (-1: unknown, the
 *     token is a word of its own)
 * @param probabilities one per label, in label order
 */
public record TaggedToken(int start, int end, int wordId, float[] probabilities) {}
