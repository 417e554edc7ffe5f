package dev.aimnext.operators.dataset.stage;

/** What dataset preparation does with a row in which PII is found. */
public enum PiiRowAction {
    /** Keep the row with the PII treated as the policy says (masked by default). */
    MASK,
    /** Reject the row ({@value DatasetReject#PII_FOUND}); for sets that must not contain PII even masked. */
    DROP
}
