/**
 * The QoS rebalancer: turns QoS windows (and optionally GPU samples) into partition plans for
 * {@code aim.partition.plans}. {@link dev.aimnext.operators.qos.rebalance.Rebalancer} is the plain
 * Java core, tiered from cheap to disruptive: priority and admission hints, KV-budget resizes,
 * model moves (memory bin packing that minimises the maximum pressure, gated by τ and a cooldown)
 * and partition mode changes that need a drain. {@link dev.aimnext.operators.qos.rebalance.PressureModel}
 * defines pressure; {@link dev.aimnext.operators.qos.rebalance.PlacementLoader} reads the initial
 * placement; the {@code stage} package runs the core inside Flink with its state in keyed state.
 */
package dev.aimnext.operators.qos.rebalance;
