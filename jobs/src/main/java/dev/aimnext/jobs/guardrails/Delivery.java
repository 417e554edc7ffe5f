package dev.aimnext.jobs.guardrails;

import org.apache.flink.connector.base.DeliveryGuarantee;

/** Delivery of the job's Kafka output, as users configure it. */
public enum Delivery {
    /** Low latency; a restart may write some records twice, so consumers deduplicate by request id. */
    AT_LEAST_ONCE(DeliveryGuarantee.AT_LEAST_ONCE),
    /** Kafka transactions; read_committed consumers see output only when a checkpoint completes. */
    EXACTLY_ONCE(DeliveryGuarantee.EXACTLY_ONCE);

    private final DeliveryGuarantee guarantee;

    Delivery(DeliveryGuarantee guarantee) {
        this.guarantee = guarantee;
    }

    public DeliveryGuarantee guarantee() {
        return guarantee;
    }
}
