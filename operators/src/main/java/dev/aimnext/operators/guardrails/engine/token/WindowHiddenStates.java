package dev.aimnext.operators.guardrails.engine.token;

/**
 * The encoder's states for one window, as a token head reads them: what token-head training
 * learns from.
 *
 * @param window the window and its token offsets
 * @param hidden [tokens][hidden width], the window's real tokens only
 */
public record WindowHiddenStates(AlignedWindow window, float[][] hidden) {}
