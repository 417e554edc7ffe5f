package dev.aimnext.jobs.guardrails;

import dev.aimnext.jobs.demo.DemoProducer;
import dev.aimnext.jobs.demo.DemoTraffic;
import dev.aimnext.jobs.testing.JobRestClient;
import dev.aimnext.jobs.testing.KafkaBrokerExtension;
import dev.aimnext.jobs.testing.MiniClusterConfigs;
import dev.aimnext.jobs.testing.TopicReader;
import dev.aimnext.schemas.event.DeadLetter;
import dev.aimnext.schemas.event.GuardrailAction;
import dev.aimnext.schemas.event.GuardrailVerdict;
import dev.aimnext.schemas.event.InferenceRequest;

import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectClusterRESTAddress;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Either;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static dev.aimnext.jobs.guardrails.GuardrailJobITCase.decode;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Exactly-once: a failure injected mid-stream restarts the job from its last checkpoint, and a
 * read_committed consumer still sees every verdict, allowed request and dead letter exactly once.
 */
class ExactlyOnceITCase {

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .setConfiguration(restartQuickly())
                            .build());

    private static final String FAIL_HEADER = "test-fail-once";
    private static final Duration WAIT = Duration.ofSeconds(180);

    @Test
    void injectedFailureLosesAndDuplicatesNothing(@InjectClusterRESTAddress URI rest) throws Exception {
        GuardrailJobITCase.Topics topics = GuardrailJobITCase.Topics.create(KAFKA, "eos");
        Configuration config = topics.configuration(KAFKA.bootstrapServers());
        config.set(GuardrailOptions.DELIVERY_GUARANTEE, Delivery.EXACTLY_ONCE);
        GuardrailKafka kafka = new GuardrailKafka(config);
        GuardrailJob job = new GuardrailJob(
                kafka.requestSource(new FailOnce(kafka.requestDeserializer())),
                kafka.allowedSink(), kafka.verdictSink(), kafka.deadLetterSink(),
                GuardrailSetup.fromConfiguration(config));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        env.enableCheckpointing(500);
        job.build(env);

        DemoTraffic traffic = new DemoTraffic(23, "eos");
        List<DemoTraffic.Sample> before = samples(traffic, 200);
        DemoTraffic.Sample marker = traffic.benign();
        List<DemoTraffic.Sample> after = samples(traffic, 200);
        Set<String> expectedIds = new HashSet<>();
        int malformed = 0;
        for (DemoTraffic.Sample s : concat(before, List.of(marker), after)) {
            if (s.kind() == DemoTraffic.Kind.MALFORMED) {
                malformed++;
            } else {
                expectedIds.add(s.requestId());
            }
        }
        int beforeVerdicts = (int) before.stream().filter(s -> s.kind() != DemoTraffic.Kind.MALFORMED).count();
        int expectedDead = malformed;

        FailOnce.FAILED.set(false);
        JobClient client = env.executeAsync("eos");
        List<ConsumerRecord<byte[], byte[]>> verdicts;
        List<ConsumerRecord<byte[], byte[]>> allowed;
        List<ConsumerRecord<byte[], byte[]>> dead;
        long restarts;
        try (KafkaProducer<byte[], byte[]> producer =
                        new KafkaProducer<>(DemoProducer.producerConfig(KAFKA.bootstrapServers()));
                TopicReader verdictReader = new TopicReader(KAFKA.bootstrapServers(), List.of(topics.verdicts()));
                TopicReader allowedReader = new TopicReader(KAFKA.bootstrapServers(), List.of(topics.allowed()));
                TopicReader deadReader = new TopicReader(KAFKA.bootstrapServers(), List.of(topics.deadLetters()))) {
            send(producer, topics.requests(), before);
            // Committed output means a checkpoint completed: the failure then hits a job with state.
            verdictReader.readUntil(r -> r.size() >= beforeVerdicts, WAIT);

            ProducerRecord<byte[], byte[]> poison = DemoProducer.record(topics.requests(), marker);
            poison.headers().add(FAIL_HEADER, new byte[] {1});
            producer.send(poison);
            send(producer, topics.requests(), after);

            verdictReader.readUntil(r -> r.size() >= expectedIds.size(), WAIT);
            deadReader.readUntil(r -> r.size() >= expectedDead, WAIT);
            // Keep reading a while: duplicates from a replay would arrive after the originals.
            verdicts = verdictReader.drain(Duration.ofSeconds(5));
            allowed = allowedReader.drain(Duration.ofSeconds(5));
            dead = deadReader.drain(Duration.ofSeconds(1));
            restarts = new JobRestClient(rest).restarts(client.getJobID());
        } finally {
            client.cancel().get(30, TimeUnit.SECONDS);
        }

        assertThat(FailOnce.FAILED).isTrue();
        assertThat(restarts).as("the injected failure restarted the job").isGreaterThanOrEqualTo(1);

        Map<String, GuardrailVerdict> byId = new HashMap<>();
        List<String> duplicates = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : verdicts) {
            GuardrailVerdict v = decode(GuardrailVerdict.class, r.value());
            if (byId.put(v.getRequestId(), v) != null) {
                duplicates.add(v.getRequestId());
            }
        }
        assertThat(duplicates).as("duplicated verdicts").isEmpty();
        assertThat(byId.keySet()).as("lost or unexpected verdicts").isEqualTo(expectedIds);

        Set<String> allowedIds = new HashSet<>();
        for (ConsumerRecord<byte[], byte[]> r : allowed) {
            assertThat(allowedIds.add(decode(InferenceRequest.class, r.value()).getRequestId()))
                    .as("duplicated allowed request").isTrue();
        }
        Set<String> passed = new HashSet<>();
        byId.forEach((id, v) -> {
            if (v.getAction() != GuardrailAction.BLOCK) {
                passed.add(id);
            }
        });
        assertThat(allowedIds).isEqualTo(passed);

        Set<Long> deadOffsets = new HashSet<>();
        for (ConsumerRecord<byte[], byte[]> r : dead) {
            DeadLetter d = decode(DeadLetter.class, r.value());
            assertThat(deadOffsets.add(d.getSourcePartition() * 1_000_000L + d.getSourceOffset()))
                    .as("duplicated dead letter").isTrue();
        }
        assertThat(deadOffsets).hasSize(expectedDead);
    }

    private static List<DemoTraffic.Sample> samples(DemoTraffic traffic, int n) {
        List<DemoTraffic.Sample> samples = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            samples.add(traffic.next());
        }
        return samples;
    }

    @SafeVarargs
    private static List<DemoTraffic.Sample> concat(List<DemoTraffic.Sample>... lists) {
        List<DemoTraffic.Sample> all = new ArrayList<>();
        for (List<DemoTraffic.Sample> list : lists) {
            all.addAll(list);
        }
        return all;
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, String topic, List<DemoTraffic.Sample> samples) {
        for (DemoTraffic.Sample s : samples) {
            producer.send(DemoProducer.record(topic, s));
        }
        producer.flush();
    }

    private static Configuration restartQuickly() {
        Configuration config = MiniClusterConfigs.fastMetrics();
        config.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        config.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 5);
        config.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(500));
        return config;
    }

    /**
     * The production deserializer, plus one injected failure: the first record carrying the
     * {@value #FAIL_HEADER} header fails the task. The flag is static because the MiniCluster runs
     * in this JVM, and it must survive the task's restart.
     */
    static final class FailOnce implements KafkaRecordDeserializationSchema<Either<DeadLetter, InferenceRequest>> {

        static final AtomicBoolean FAILED = new AtomicBoolean();

        private final KafkaRecordDeserializationSchema<Either<DeadLetter, InferenceRequest>> delegate;

        FailOnce(KafkaRecordDeserializationSchema<Either<DeadLetter, InferenceRequest>> delegate) {
            this.delegate = delegate;
        }

        @Override
        public void open(DeserializationSchema.InitializationContext context) throws Exception {
            delegate.open(context);
        }

        @Override
        public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<Either<DeadLetter, InferenceRequest>> out)
                throws IOException {
            if (record.headers().lastHeader(FAIL_HEADER) != null && FAILED.compareAndSet(false, true)) {
                throw new IOException("injected failure at offset " + record.offset());
            }
            delegate.deserialize(record, out);
        }

        @Override
        public TypeInformation<Either<DeadLetter, InferenceRequest>> getProducedType() {
            return delegate.getProducedType();
        }
    }
}
