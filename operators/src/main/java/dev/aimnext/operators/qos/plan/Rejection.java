package dev.aimnext.operators.qos.plan;

import dev.aimnext.operators.qos.placement.Priority;

/**
 * A model the plan leaves out, and why.
 *
 * @param neededBytes its weights plus KV floor
 * @param shortBytes how much more the best partition it could get would need to hold it
 * @param reason one sentence for the person planning, with sizes in GiB
 */
public record Rejection(String model, Priority priority, long neededBytes, long shortBytes, String reason) {}
