package dev.aimnext.jobs.demo;

import dev.aimnext.schemas.codec.AvroEventCodec;
import dev.aimnext.schemas.codec.EventDecodingException;
import dev.aimnext.schemas.event.DeadLetter;
import dev.aimnext.schemas.event.GuardrailFinding;
import dev.aimnext.schemas.event.GuardrailVerdict;

import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Reads the job's output topics and prints what the guardrails did: requests per action and entity
 * type and dead letters per reason (since the start), guardrail latency from the verdicts and
 * produce-to-allowed latency from record timestamps (over the last interval, so start-up does not
 * hide the steady state). Prints counts and types only, never text.
 */
public final class DemoSummary implements Runnable, AutoCloseable {

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String verdictsTopic;
    private final String deadLetterTopic;
    private final String allowedTopic;
    private final PrintStream out;
    private final Duration every;
    private final AvroEventCodec<GuardrailVerdict> verdicts = AvroEventCodec.of(GuardrailVerdict.class);
    private final AvroEventCodec<DeadLetter> deadLetters = AvroEventCodec.of(DeadLetter.class);

    private final Map<String, Long> actions = new TreeMap<>();
    private final Map<String, Long> entities = new TreeMap<>();
    private final Map<String, Long> deadLetterReasons = new TreeMap<>();
    private final Histogram guardrailMicros = new Histogram(60_000_000L, 3);
    private final Histogram producedToAllowedMicros = new Histogram(600_000_000L, 3);
    private volatile boolean running = true;

    public DemoSummary(
            String bootstrapServers,
            String verdictsTopic,
            String deadLetterTopic,
            String allowedTopic,
            PrintStream out,
            Duration every) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "aim-demo-summary-" + System.nanoTime());
        // The demo wipes its topics at start, so everything on them belongs to this run.
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        this.consumer = new KafkaConsumer<>(props);
        this.verdictsTopic = verdictsTopic;
        this.deadLetterTopic = deadLetterTopic;
        this.allowedTopic = allowedTopic;
        this.out = out;
        this.every = every;
    }

    @Override
    public void run() {
        consumer.subscribe(List.of(verdictsTopic, deadLetterTopic, allowedTopic));
        long started = System.nanoTime();
        long nextPrint = started + every.toNanos();
        while (running) {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                account(record);
            }
            if (System.nanoTime() >= nextPrint) {
                print((System.nanoTime() - started) / 1_000_000_000L);
                nextPrint += every.toNanos();
            }
        }
        consumer.close();
    }

    private void account(ConsumerRecord<byte[], byte[]> record) {
        try {
            if (record.topic().equals(verdictsTopic)) {
                GuardrailVerdict verdict = verdicts.decode(record.value());
                actions.merge(verdict.getAction().name().toLowerCase(), 1L, Long::sum);
                for (GuardrailFinding finding : verdict.getFindings()) {
                    entities.merge(finding.getType(), 1L, Long::sum);
                }
                guardrailMicros.recordValue(Math.min(verdict.getLatencyMicros(), 60_000_000L));
            } else if (record.topic().equals(deadLetterTopic)) {
                deadLetterReasons.merge(deadLetters.decode(record.value()).getReasonCode(), 1L, Long::sum);
            } else {
                long micros = Math.max(0, System.currentTimeMillis() - record.timestamp()) * 1000;
                producedToAllowedMicros.recordValue(Math.min(micros, 600_000_000L));
            }
        } catch (EventDecodingException e) {
            out.println("  (unreadable record on " + record.topic() + ": " + e.getMessage() + ")");
        }
    }

    private void print(long seconds) {
        long requests = actions.values().stream().mapToLong(Long::longValue).sum();
        long dead = deadLetterReasons.values().stream().mapToLong(Long::longValue).sum();
        out.printf("[%4ds] verdicts %d %s | dead letters %d %s%n", seconds, requests, actions, dead,
                deadLetterReasons);
        out.printf("        entities %s%n", entities);
        out.printf(
                "        last %ds: guardrail latency p50 %.2f ms, p99 %.2f ms | produce->allowed (%d records) p50 %.1f ms, p99 %.1f ms%n",
                every.toSeconds(),
                guardrailMicros.getValueAtPercentile(50) / 1000.0,
                guardrailMicros.getValueAtPercentile(99) / 1000.0,
                producedToAllowedMicros.getTotalCount(),
                producedToAllowedMicros.getValueAtPercentile(50) / 1000.0,
                producedToAllowedMicros.getValueAtPercentile(99) / 1000.0);
        out.flush();
        guardrailMicros.reset();
        producedToAllowedMicros.reset();
    }

    public void stop() {
        running = false;
    }

    @Override
    public void close() {
        stop();
    }
}
