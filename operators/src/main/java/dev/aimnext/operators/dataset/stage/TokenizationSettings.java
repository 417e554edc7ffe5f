package dev.aimnext.operators.dataset.stage;

import dev.aimnext.operators.dataset.template.ChatTemplate;
import dev.aimnext.operators.dataset.tokenize.LossMask;

import java.io.Serializable;

/**
 * How kept rows are templated and tokenized.
 *
 * @param chatTemplate the template to render conversations with, or {@code null} to leave them as messages
 * @param tokenizerPath a tokenizer.json (or a model folder holding one) to count with, or {@code null}
 *     for the four-characters-per-token estimate
 * @param lossMask which tokens the labels train on
 * @param packMaxSeqLen pack conversations greedily into sequences of at most this many tokens; 0 for none
 * @param tokenizedOutput also write pre-tokenized Parquet ({@code input_ids}, {@code labels}, ...)
 */
public record TokenizationSettings(ChatTemplate chatTemplate, String tokenizerPath, LossMask lossMask,
        int packMaxSeqLen, boolean tokenizedOutput) implements Serializable {

    private static final long serialVersionUID = 1L;

    public TokenizationSettings {
        lossMask = lossMask == null ? LossMask.ASSISTANT : lossMask;
        if (packMaxSeqLen < 0) {
            throw new IllegalArgumentException("pack max_seq_len must not be negative, was " + packMaxSeqLen);
        }
        // Token ids only exist with a real tokenizer, and masks only with a template that marks the turns.
        if ((packMaxSeqLen > 0 || tokenizedOutput) && (chatTemplate == null || tokenizerPath == null)) {
            throw new IllegalArgumentException((packMaxSeqLen > 0 ? "packing" : "pre-tokenized Parquet output")
                    + " needs both a chat template and a tokenizer.json");
        }
    }

    /** Messages only, tokens estimated: what the job does when nothing is configured. */
    public static TokenizationSettings none() {
        return new TokenizationSettings(null, null, LossMask.ASSISTANT, 0, false);
    }

    /** Whether rows carry token ids and labels for the packing and Parquet stages. */
    public boolean producesTokenIds() {
        return packMaxSeqLen > 0 || tokenizedOutput;
    }
}
