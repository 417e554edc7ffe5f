package dev.aimnext.operators.guardrails.policy;

import java.io.Serializable;
import java.util.List;

/**
 * A pack a stage reads, as checked when the job starts.
 *
 * @param alias its name under the policy's {@code packs}
 * @param reference where it comes from
 * @param version the pack's version, reported in verdicts
 * @param scoreKeys every score the pack gives a text, in the engine's order
 */
public record BoundPack(String alias, PackReference reference, String version, List<String> scoreKeys)
        implements Serializable {

    public BoundPack {
        scoreKeys = List.copyOf(scoreKeys);
    }
}
