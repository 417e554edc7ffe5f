package dev.aimnext.schemas.kafka;

import java.io.Serializable;

/**
 * Overwrites sensitive values in the raw bytes of a rejected record before they are written to the
 * dead-letter topic. The guardrail module provides the PII implementation; this module only defines
 * the seam, so schemas stays free of detection logic.
 */
@FunctionalInterface
public interface PayloadScrubber extends Serializable {

    /** Scrubs in place. Must keep the length, so byte offsets in the payload stay meaningful. */
    void scrub(byte[] payload);

    /** For tests and tools that must not scan; dead letters record that nothing was scrubbed. */
    PayloadScrubber NONE = payload -> { };
}
