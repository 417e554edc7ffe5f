package dev.aimnext.operators.qos.sim;

import dev.aimnext.operators.qos.placement.Priority;

import java.util.Map;

/**
 * The keys of {@code PlanAction.parameters} that the simulator reads, per action kind, and how it
 * parses them. Whoever writes plans (the rebalancer) uses the same constants.
 *
 * <table>
 *   <caption>Parameters per action kind</caption>
 *   <tr><th>kind</th><th>key</th><th>value</th><th>effect</th></tr>
 *   <tr><td>SET_PRIORITY</td><td>{@value #PRIORITY}</td><td>{@code high|medium|low}, required</td>
 *       <td>the model's priority in the placement and its telemetry</td></tr>
 *   <tr><td>ADMISSION_LIMIT</td><td>{@value #MAX_IN_FLIGHT}</td><td>an integer &ge; 0, or
 *       {@value #UNLIMITED}; required</td><td>arrivals past that many queued plus running requests
 *       are REJECTED</td></tr>
 *   <tr><td>RESIZE_KV_BUDGET</td><td>{@value #KV_BUDGET_BYTES}</td><td>bytes, required</td>
 *       <td>the model's KV budget; shrinking preempts the newest running requests until the rest fit</td></tr>
 *   <tr><td>MOVE_MODEL</td><td>{@value #KV_BUDGET_BYTES}</td><td>bytes, optional</td>
 *       <td>the KV budget in the target partition (default: unchanged)</td></tr>
 *   <tr><td>MOVE_MODEL</td><td>{@value #DOWNTIME_MS}</td><td>ms, optional</td>
 *       <td>the reload downtime (default: the config's {@code moveDowntimeMs})</td></tr>
 *   <tr><td>CHANGE_PARTITION_MODE</td><td>{@value #COMPUTE_MODE}, {@value #MEMORY_MODE}</td>
 *       <td>e.g. {@code CPX}, {@code NPS4}</td><td>none: always refused, it needs a drain</td></tr>
 * </table>
 *
 * <p>MOVE_MODEL also uses the action's {@code model}, {@code fromPartition} (must be where the model
 * is) and {@code toPartition} fields; every other kind needs {@code model}.
 */
public final class PlanParameters {

    /** SET_PRIORITY: the new priority, {@code high}, {@code medium} or {@code low}. */
    public static final String PRIORITY = "priority";

    /** ADMISSION_LIMIT: most requests of the model queued plus running, or {@value #UNLIMITED}. */
    public static final String MAX_IN_FLIGHT = "maxInFlight";

    /** The value of {@value #MAX_IN_FLIGHT} that lifts the limit. */
    public static final String UNLIMITED = "unlimited";

    /** RESIZE_KV_BUDGET (required) and MOVE_MODEL (optional): the KV budget in bytes. */
    public static final String KV_BUDGET_BYTES = "kvBudgetBytes";

    /** MOVE_MODEL (optional): the reload downtime in ms. */
    public static final String DOWNTIME_MS = "downtimeMs";

    /** CHANGE_PARTITION_MODE: the compute mode asked for (SPX, DPX, QPX, CPX). */
    public static final String COMPUTE_MODE = "computeMode";

    /** CHANGE_PARTITION_MODE: the memory mode asked for (NPS1, NPS2, NPS4). */
    public static final String MEMORY_MODE = "memoryMode";

    private PlanParameters() {
    }

    /** The priority under {@value #PRIORITY}. */
    public static Priority priority(Map<String, String> parameters) {
        return Priority.parse(required(parameters, PRIORITY));
    }

    /** The limit under {@value #MAX_IN_FLIGHT}; {@link Integer#MAX_VALUE} for {@value #UNLIMITED}. */
    public static int maxInFlight(Map<String, String> parameters) {
        String text = required(parameters, MAX_IN_FLIGHT).trim();
        if (UNLIMITED.equalsIgnoreCase(text)) {
            return Integer.MAX_VALUE;
        }
        long value = parseNonNegative(MAX_IN_FLIGHT, text);
        return (int) Math.min(Integer.MAX_VALUE, value);
    }

    /** The bytes under {@value #KV_BUDGET_BYTES}, or {@code fallback} when absent. */
    public static long kvBudgetBytes(Map<String, String> parameters, long fallback) {
        String text = parameters.get(KV_BUDGET_BYTES);
        return text == null ? fallback : parseNonNegative(KV_BUDGET_BYTES, text.trim());
    }

    /** The bytes under {@value #KV_BUDGET_BYTES}, which must be there. */
    public static long kvBudgetBytes(Map<String, String> parameters) {
        return parseNonNegative(KV_BUDGET_BYTES, required(parameters, KV_BUDGET_BYTES).trim());
    }

    /** The ms under {@value #DOWNTIME_MS}, or {@code fallback} when absent. */
    public static long downtimeMs(Map<String, String> parameters, long fallback) {
        String text = parameters.get(DOWNTIME_MS);
        return text == null ? fallback : parseNonNegative(DOWNTIME_MS, text.trim());
    }

    private static String required(Map<String, String> parameters, String key) {
        String value = parameters.get(key);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("parameter '" + key + "' is missing");
        }
        return value;
    }

    private static long parseNonNegative(String key, String text) {
        long value;
        try {
            value = Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("parameter '" + key + "' must be a whole number, was '" + text + "'");
        }
        if (value < 0) {
            throw new IllegalArgumentException("parameter '" + key + "' must be >= 0, was " + value);
        }
        return value;
    }
}
