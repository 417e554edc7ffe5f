/**
 * Library behind the fine-tuning dataset preparation job: reading raw instruction and chat files
 * ({@code read}), detecting their format and normalizing every row to messages ({@code format}),
 * validating rows with stable reason codes ({@code validate}) and computing exact and near-duplicate
 * keys ({@code dedup}). Everything here is plain Java, so the Flink job only wires these pieces and
 * unit tests reach them without a MiniCluster.
 */
package dev.aimnext.operators.dataset;
