package dev.aimnext.operators.qos.rebalance;

import java.io.Serializable;

/**
 * How eagerly the {@link Rebalancer} acts. All clocks are event time (QoS window ends), so a replay
 * of the same windows yields the same plans. {@link RebalanceOptions} maps these to Flink settings.
 *
 * @param windowKind the QoS window kind the rebalancer reads (e.g. {@code tumbling-10s}); others are
 *     ignored, so sliding windows do not count each request several times
 * @param dryRun whether plans are marked dry-run; the default, so plans are reviewed before an
 *     actuator trusts them
 * @param tau the least relative gain in GPU pressure, {@code (before − after) / before}, for which a
 *     model move or a mode change is worth its disruption
 * @param pressureTrigger the pressure above which a model is in trouble; 1.0 is "at its objective"
 * @param hintCooldownMs least time between two tier-1 plans on one GPU
 * @param resizeCooldownMs least time between two tier-2 plans on one GPU
 * @param moveCooldownMs least time between two tier-3 plans on one GPU
 * @param modeCooldownMs least time between two tier-4 plans on one GPU
 * @param settleMs least time after any plan before the next one, so its effect shows in the windows
 * @param historyWindows how many windows of rate history a model keeps for burstiness
 * @param minHistoryWindows windows needed before a model can be called bursty
 * @param sustainWindows consecutive windows over the trigger before a move or mode change
 * @param burstyCv coefficient of variation of the per-window rates from which a model is bursty
 * @param burstyPeakToMean peak-to-mean rate ratio from which a model is bursty
 * @param kvStarved KV use ÷ KV budget from which a model counts as short of KV cache
 * @param kvTarget KV use ÷ KV budget a resize aims for
 */
public record RebalanceSettings(String windowKind, boolean dryRun, double tau, double pressureTrigger,
        long hintCooldownMs, long resizeCooldownMs, long moveCooldownMs, long modeCooldownMs, long settleMs,
        int historyWindows, int minHistoryWindows, int sustainWindows, double burstyCv, double burstyPeakToMean,
        double kvStarved, double kvTarget) implements Serializable {

    private static final long serialVersionUID = 1L;

    public RebalanceSettings {
        if (windowKind == null || windowKind.isBlank()) {
            throw new IllegalArgumentException("rebalance window kind must be set, e.g. tumbling-10s");
        }
        if (!(tau >= 0 && tau < 1)) {
            throw new IllegalArgumentException("tau is a relative pressure gain and must be in [0, 1), was " + tau);
        }
        if (!(pressureTrigger > 0)) {
            throw new IllegalArgumentException("pressure trigger must be > 0, was " + pressureTrigger);
        }
        if (hintCooldownMs < 0 || resizeCooldownMs < 0 || moveCooldownMs < 0 || modeCooldownMs < 0 || settleMs < 0) {
            throw new IllegalArgumentException("cooldowns and settle time must be >= 0 ms");
        }
        if (historyWindows < 2 || minHistoryWindows < 2 || minHistoryWindows > historyWindows || sustainWindows < 1) {
            throw new IllegalArgumentException("need 2 <= min history windows <= history windows and sustain windows >= 1,"
                    + " was " + minHistoryWindows + "/" + historyWindows + "/" + sustainWindows);
        }
        if (!(burstyCv > 0) || !(burstyPeakToMean > 1)) {
            throw new IllegalArgumentException("burstiness thresholds need cv > 0 and peak/mean > 1");
        }
        if (!(kvTarget > 0 && kvTarget < kvStarved && kvStarved <= 1)) {
            throw new IllegalArgumentException("need 0 < kv target < kv starved <= 1, was " + kvTarget + " / " + kvStarved);
        }
    }

    /**
     * The defaults, sized for 10 s tumbling windows: hints after one bad window, moves after two,
     * a 2 min move cooldown and τ = 0.15.
     */
    public static RebalanceSettings defaults() {
        return new RebalanceSettings("tumbling-10s", true, 0.15, 1.0, 30_000, 60_000, 120_000, 3_600_000, 20_000,
                12, 4, 2, 0.5, 2.0, 0.95, 0.8);
    }

    public RebalanceSettings withDryRun(boolean dry) {
        return new RebalanceSettings(windowKind, dry, tau, pressureTrigger, hintCooldownMs, resizeCooldownMs,
                moveCooldownMs, modeCooldownMs, settleMs, historyWindows, minHistoryWindows, sustainWindows, burstyCv,
                burstyPeakToMean, kvStarved, kvTarget);
    }

    public RebalanceSettings withTau(double t) {
        return new RebalanceSettings(windowKind, dryRun, t, pressureTrigger, hintCooldownMs, resizeCooldownMs,
                moveCooldownMs, modeCooldownMs, settleMs, historyWindows, minHistoryWindows, sustainWindows, burstyCv,
                burstyPeakToMean, kvStarved, kvTarget);
    }

    /** These settings with the four tier cooldowns and the settle time replaced. */
    public RebalanceSettings withCooldowns(long hintMs, long resizeMs, long moveMs, long modeMs, long settle) {
        return new RebalanceSettings(windowKind, dryRun, tau, pressureTrigger, hintMs, resizeMs, moveMs, modeMs, settle,
                historyWindows, minHistoryWindows, sustainWindows, burstyCv, burstyPeakToMean, kvStarved, kvTarget);
    }

    /** The cooldown of {@code tier} (1 to 4). */
    public long cooldownMs(int tier) {
        return switch (tier) {
            case 1 -> hintCooldownMs;
            case 2 -> resizeCooldownMs;
            case 3 -> moveCooldownMs;
            case 4 -> modeCooldownMs;
            default -> throw new IllegalArgumentException("tiers are 1 to 4, was " + tier);
        };
    }
}
