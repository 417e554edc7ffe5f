package dev.aimnext.operators.finetune.run;

/**
 * One trainer attempt as {@code run.json} keeps it.
 *
 * @param resumedFrom the checkpoint folder it started from, or null for a fresh start
 * @param endedAtMs 0 while it runs
 * @param exitCode null while it runs; -1 when the driver killed it
 * @param outcome {@link AttemptEnd#describe()}, or null while it runs
 */
public record AttemptRecord(int attempt, long startedAtMs, String resumedFrom, long endedAtMs, Integer exitCode,
        long lastStep, String outcome) {

    public static AttemptRecord started(int attempt, long startedAtMs, String resumedFrom) {
        return new AttemptRecord(attempt, startedAtMs, resumedFrom, 0, null, 0, null);
    }

    public AttemptRecord ended(long endedAtMs, AttemptEnd end, long lastStep) {
        return new AttemptRecord(attempt, startedAtMs, resumedFrom, endedAtMs, end.exitCode(), lastStep, end.describe());
    }
}
