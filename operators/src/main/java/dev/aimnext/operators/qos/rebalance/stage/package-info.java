/**
 * The rebalancer as a Flink operator: {@link dev.aimnext.operators.qos.rebalance.stage.RebalanceFunction},
 * keyed by GPU id through {@link dev.aimnext.operators.qos.rebalance.stage.GpuKeys}.
 */
package dev.aimnext.operators.qos.rebalance.stage;
