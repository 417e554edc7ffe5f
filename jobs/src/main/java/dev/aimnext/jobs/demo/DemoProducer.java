package dev.aimnext.jobs.demo;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;

/** Produces {@link DemoTraffic} to {@code aim.requests} at a steady rate until stopped. */
public final class DemoProducer implements Runnable, AutoCloseable {

    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;
    private final DemoTraffic traffic;
    private final double ratePerSecond;
    private final AtomicLong sent = new AtomicLong();
    private volatile boolean running = true;

    public DemoProducer(String bootstrapServers, String topic, DemoTraffic traffic, double ratePerSecond) {
        this.producer = new KafkaProducer<>(producerConfig(bootstrapServers));
        this.topic = topic;
        this.traffic = traffic;
        this.ratePerSecond = ratePerSecond;
    }

    public static Properties producerConfig(String bootstrapServers) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 4 * 1024 * 1024);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        return props;
    }

    /** Builds the Kafka record for a sample: keyed by request id, with its headers. */
    public static ProducerRecord<byte[], byte[]> record(String topic, DemoTraffic.Sample sample) {
        ProducerRecord<byte[], byte[]> record =
                new ProducerRecord<>(topic, sample.requestId().getBytes(StandardCharsets.UTF_8), sample.value());
        for (Map.Entry<String, String> header : sample.headers().entrySet()) {
            record.headers().add(header.getKey(), header.getValue().getBytes(StandardCharsets.UTF_8));
        }
        return record;
    }

    @Override
    public void run() {
        long intervalNanos = (long) (1_000_000_000L / ratePerSecond);
        long next = System.nanoTime();
        while (running) {
            producer.send(record(topic, traffic.next()));
            sent.incrementAndGet();
            next += intervalNanos;
            long sleep = next - System.nanoTime();
            if (sleep > 0) {
                try {
                    Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    public long sent() {
        return sent.get();
    }

    public void stop() {
        running = false;
    }

    @Override
    public void close() {
        stop();
        producer.close();
    }
}
