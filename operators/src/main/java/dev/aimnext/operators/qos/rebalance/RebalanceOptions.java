package dev.aimnext.operators.qos.rebalance;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.ReadableConfig;

import java.time.Duration;

/** Flink settings of the rebalancer; {@link #settings} turns them into {@link RebalanceSettings}. */
public final class RebalanceOptions {

    private RebalanceOptions() {}

    private static final RebalanceSettings D = RebalanceSettings.defaults();

    public static final ConfigOption<String> PLACEMENT_FILE = ConfigOptions.key("aim.rebalance.placement-file")
            .stringType().noDefaultValue()
            .withDescription("Initial placement, YAML or JSON: GPUs, their partitions and the models with memory budgets.");

    public static final ConfigOption<String> WINDOW_KIND = ConfigOptions.key("aim.rebalance.window-kind")
            .stringType().defaultValue(D.windowKind())
            .withDescription("QoS window kind the rebalancer reads; windows of other kinds are ignored.");

    public static final ConfigOption<Boolean> DRY_RUN = ConfigOptions.key("aim.rebalance.dry-run")
            .booleanType().defaultValue(D.dryRun())
            .withDescription("Mark plans dry-run and keep the placement; off, the operator takes its plans as applied.");

    public static final ConfigOption<Double> TAU = ConfigOptions.key("aim.rebalance.tau")
            .doubleType().defaultValue(D.tau())
            .withDescription("Least relative gain in GPU pressure, (before - after) / before, for a move or mode change.");

    public static final ConfigOption<Double> PRESSURE_TRIGGER = ConfigOptions.key("aim.rebalance.pressure-trigger")
            .doubleType().defaultValue(D.pressureTrigger())
            .withDescription("Pressure above which a model is in trouble; 1.0 means p99 at its objective.");

    public static final ConfigOption<Duration> HINT_COOLDOWN = ConfigOptions.key("aim.rebalance.cooldown.hints")
            .durationType().defaultValue(Duration.ofMillis(D.hintCooldownMs()))
            .withDescription("Least event time between two tier-1 (priority, admission) plans on a GPU.");

    public static final ConfigOption<Duration> RESIZE_COOLDOWN = ConfigOptions.key("aim.rebalance.cooldown.resize")
            .durationType().defaultValue(Duration.ofMillis(D.resizeCooldownMs()))
            .withDescription("Least event time between two tier-2 (KV budget) plans on a GPU.");

    public static final ConfigOption<Duration> MOVE_COOLDOWN = ConfigOptions.key("aim.rebalance.cooldown.move")
            .durationType().defaultValue(Duration.ofMillis(D.moveCooldownMs()))
            .withDescription("Least event time between two tier-3 (model move) plans on a GPU.");

    public static final ConfigOption<Duration> MODE_COOLDOWN = ConfigOptions.key("aim.rebalance.cooldown.mode")
            .durationType().defaultValue(Duration.ofMillis(D.modeCooldownMs()))
            .withDescription("Least event time between two tier-4 (partition mode) plans on a GPU.");

    public static final ConfigOption<Duration> SETTLE = ConfigOptions.key("aim.rebalance.settle")
            .durationType().defaultValue(Duration.ofMillis(D.settleMs()))
            .withDescription("Least event time after any plan before the next, so its effect shows in the windows.");

    public static final ConfigOption<Integer> HISTORY_WINDOWS = ConfigOptions.key("aim.rebalance.history-windows")
            .intType().defaultValue(D.historyWindows())
            .withDescription("Windows of per-model rate history kept for burstiness.");

    public static final ConfigOption<Integer> MIN_HISTORY_WINDOWS = ConfigOptions.key("aim.rebalance.min-history-windows")
            .intType().defaultValue(D.minHistoryWindows())
            .withDescription("Windows of history needed before a model can count as bursty.");

    public static final ConfigOption<Integer> SUSTAIN_WINDOWS = ConfigOptions.key("aim.rebalance.sustain-windows")
            .intType().defaultValue(D.sustainWindows())
            .withDescription("Consecutive windows over the trigger before a move or mode change.");

    public static final ConfigOption<Double> BURSTY_CV = ConfigOptions.key("aim.rebalance.bursty.cv")
            .doubleType().defaultValue(D.burstyCv())
            .withDescription("Coefficient of variation of per-window rates from which a model is bursty.");

    public static final ConfigOption<Double> BURSTY_PEAK_TO_MEAN = ConfigOptions.key("aim.rebalance.bursty.peak-to-mean")
            .doubleType().defaultValue(D.burstyPeakToMean())
            .withDescription("Peak-to-mean rate ratio from which a model is bursty.");

    public static final ConfigOption<Double> KV_STARVED = ConfigOptions.key("aim.rebalance.kv.starved")
            .doubleType().defaultValue(D.kvStarved())
            .withDescription("KV use / KV budget from which a model is short of KV cache (tier 2).");

    public static final ConfigOption<Double> KV_TARGET = ConfigOptions.key("aim.rebalance.kv.target")
            .doubleType().defaultValue(D.kvTarget())
            .withDescription("KV use / KV budget a tier-2 resize aims for.");

    /** The settings these options give; out-of-range values fail with {@link RebalanceSettings}'s message. */
    public static RebalanceSettings settings(ReadableConfig c) {
        return new RebalanceSettings(c.get(WINDOW_KIND), c.get(DRY_RUN), c.get(TAU), c.get(PRESSURE_TRIGGER),
                c.get(HINT_COOLDOWN).toMillis(), c.get(RESIZE_COOLDOWN).toMillis(), c.get(MOVE_COOLDOWN).toMillis(),
                c.get(MODE_COOLDOWN).toMillis(), c.get(SETTLE).toMillis(), c.get(HISTORY_WINDOWS),
                c.get(MIN_HISTORY_WINDOWS), c.get(SUSTAIN_WINDOWS), c.get(BURSTY_CV), c.get(BURSTY_PEAK_TO_MEAN),
                c.get(KV_STARVED), c.get(KV_TARGET));
    }
}
