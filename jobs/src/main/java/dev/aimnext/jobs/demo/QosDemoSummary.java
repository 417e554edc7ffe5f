package dev.aimnext.jobs.demo;

import dev.aimnext.schemas.codec.AvroEventCodec;
import dev.aimnext.schemas.codec.EventDecodingException;
import dev.aimnext.schemas.event.PartitionPlan;
import dev.aimnext.schemas.event.PlanAction;
import dev.aimnext.schemas.event.QosWindow;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Reads the QoS job's output and prints it: every interval, per (model, partition), the p99 TTFT and
 * SLO attainment of the latest {@code sliding-1m} window (pairs without one for a minute are left
 * out); and each partition plan as it arrives, on
 * one line (tier, dry-run or not, trigger, pressure before and after, actions). Plans that are not
 * dry-run also go to {@code plans}, so a simulator can carry them out.
 */
public final class QosDemoSummary implements Runnable, AutoCloseable {

    static final String SLIDING = "sliding-1m";
    private static final long SLIDING_MS = 60_000;

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String qosTopic;
    private final String plansTopic;
    private final long epochMs;
    private final PrintStream out;
    private final Duration every;
    private final Consumer<PartitionPlan> plans;
    private final AvroEventCodec<QosWindow> windows = AvroEventCodec.of(QosWindow.class);
    private final AvroEventCodec<PartitionPlan> planCodec = AvroEventCodec.of(PartitionPlan.class);
    private final Map<String, QosWindow> latest = new TreeMap<>();
    private long planCount;
    private volatile boolean running = true;

    /**
     * @param epochMs the event time of simulated time 0, so window ends print as simulated seconds
     * @param plans receives the plans that are not dry-run
     */
    public QosDemoSummary(String bootstrapServers, String qosTopic, String plansTopic, long epochMs, PrintStream out,
            Duration every, Consumer<PartitionPlan> plans) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "aim-demo-qos-summary-" + System.nanoTime());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        this.consumer = new KafkaConsumer<>(props);
        this.qosTopic = qosTopic;
        this.plansTopic = plansTopic;
        this.epochMs = epochMs;
        this.out = out;
        this.every = every;
        this.plans = plans;
    }

    @Override
    public void run() {
        consumer.subscribe(List.of(qosTopic, plansTopic));
        long started = System.nanoTime();
        long nextPrint = started + every.toNanos();
        while (running) {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                account(record);
            }
            if (System.nanoTime() >= nextPrint) {
                printQos((System.nanoTime() - started) / 1_000_000_000L);
                nextPrint += every.toNanos();
            }
        }
        consumer.close();
    }

    private void account(ConsumerRecord<byte[], byte[]> record) {
        try {
            if (record.topic().equals(plansTopic)) {
                PartitionPlan plan = planCodec.decode(record.value());
                planCount++;
                print("        plan " + describe(plan));
                if (!plan.getDryRun()) {
                    plans.accept(plan);
                }
                return;
            }
            QosWindow w = windows.decode(record.value());
            if (w.getWindowKind().equals(SLIDING)) {
                latest.merge(w.getModel() + " " + w.getPartitionId(), w,
                        (old, now) -> now.getWindowEndMs() >= old.getWindowEndMs() ? now : old);
            }
        } catch (EventDecodingException e) {
            print("  (unreadable record on " + record.topic() + ": " + e.getMessage() + ")");
        }
    }

    private void printQos(long seconds) {
        if (latest.isEmpty()) {
            print(String.format(Locale.ROOT, "[%4ds] qos: no sliding-1m window yet", seconds));
            return;
        }
        long end = latest.values().stream().mapToLong(QosWindow::getWindowEndMs).max().orElseThrow();
        // A pair without a window for a whole minute had no requests in it, e.g. a model that moved away.
        latest.values().removeIf(w -> w.getWindowEndMs() <= end - SLIDING_MS);
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT,
                "[%4ds] qos, sliding 1 min to simulated t=%ds, %d plans so far:", seconds, (end - epochMs) / 1000, planCount));
        for (QosWindow w : latest.values()) {
            text.append(System.lineSeparator()).append("        ").append(describe(w));
        }
        print(text.toString());
    }

    /** One window: model, partition, rate, p99 TTFT and attainment (TTFT objective, else successes). */
    static String describe(QosWindow w) {
        Map<String, Double> attainment = w.getSloAttainment();
        String objective = attainment.containsKey("ttft") ? "ttft" : "all";
        return String.format(Locale.ROOT, "%-17s %-8s %5.2f req/s  p99 TTFT %7.0f ms  SLO attainment (%s) %.3f",
                w.getModel(), w.getPartitionId(), w.getRatePerSec(), w.getTtftMs().getP99(), objective,
                attainment.getOrDefault(objective, Double.NaN));
    }

    /** One plan on one line: id, tier, dry-run, trigger, pressure before -> after, actions. */
    public static String describe(PartitionPlan p) {
        String actions = p.getActions().stream().map(QosDemoSummary::describe).collect(Collectors.joining(", "));
        return String.format(Locale.ROOT, "%s tier %d%s trigger %s pressure %.2f -> %.2f: %s", p.getPlanId(),
                p.getTier(), p.getDryRun() ? " (dry-run)" : "", p.getTrigger(), p.getPressureBefore(),
                p.getPressureAfter(), actions);
    }

    private static String describe(PlanAction a) {
        StringBuilder text = new StringBuilder(a.getKind().name());
        if (a.getModel() != null) {
            text.append(' ').append(a.getModel());
        }
        if (a.getFromPartition() != null || a.getToPartition() != null) {
            text.append(' ').append(a.getFromPartition() == null ? "" : a.getFromPartition()).append(" -> ")
                    .append(a.getToPartition() == null ? "" : a.getToPartition());
        }
        if (!a.getParameters().isEmpty()) {
            text.append(' ').append(new TreeMap<>(a.getParameters()));
        }
        return text.toString();
    }

    private void print(String text) {
        synchronized (out) {
            out.println(text);
            out.flush();
        }
    }

    public void stop() {
        running = false;
    }

    @Override
    public void close() {
        stop();
    }
}
