/**
 * The fine-tuning driver's decisions, apart from processes and files it does not own: parsing the
 * trainer's event lines ({@link dev.aimnext.operators.finetune.run.EventLineParser}), telling complete
 * checkpoints from partial or corrupt ones ({@link dev.aimnext.operators.finetune.run.CheckpointScanner}),
 * what to do after an attempt ends ({@link dev.aimnext.operators.finetune.run.RetryPolicy}) and which
 * run states may follow which ({@link dev.aimnext.operators.finetune.run.RunState}). The protocol is
 * {@code docs/FINETUNE-PROTOCOL.md}.
 */
package dev.aimnext.operators.finetune.run;
