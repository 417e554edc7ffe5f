package dev.aimnext.operators.dataset.tokenize;

/** Which tokens of a conversation the loss trains on. */
public enum LossMask {
    /** Only the assistant turns (content and end-of-turn marker): the usual choice for chat SFT. */
    ASSISTANT,
    /** Every token, prompt included, as for continued pre-training on chat text. */
    ALL
}
