package dev.aimnext.operators.finetune.profile.model;

/**
 * The sparse MLP of a mixture-of-experts model: {@code experts} gated MLPs of width
 * {@code expertIntermediateSize} per layer, of which {@code expertsPerToken} run for each token,
 * chosen by a linear router of {@code hidden × experts}. Qwen-MoE adds an always-on shared expert
 * ({@code sharedExpertIntermediateSize}, 0 when absent) with a one-output sigmoid gate.
 */
public record MixtureOfExperts(
        int experts, int expertsPerToken, int expertIntermediateSize, int sharedExpertIntermediateSize) {

    public MixtureOfExperts {
        if (experts < 2 || expertsPerToken < 1 || expertsPerToken > experts || expertIntermediateSize < 1
                || sharedExpertIntermediateSize < 0) {
            throw new InvalidModelConfigException("inconsistent mixture of experts: " + experts + " experts, "
                    + expertsPerToken + " per token, expert width " + expertIntermediateSize);
        }
    }

    public boolean hasSharedExpert() {
        return sharedExpertIntermediateSize > 0;
    }
}
