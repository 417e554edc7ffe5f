package dev.aimnext.jobs.guardrails;

import dev.aimnext.jobs.demo.DemoProducer;
import dev.aimnext.jobs.demo.DemoTraffic;
import dev.aimnext.jobs.testing.JobRestClient;
import dev.aimnext.jobs.testing.KafkaBrokerExtension;
import dev.aimnext.jobs.testing.MiniClusterConfigs;
import dev.aimnext.jobs.testing.TopicReader;
import dev.aimnext.schemas.codec.AvroEventCodec;
import dev.aimnext.schemas.codec.EventDecodingException;
import dev.aimnext.schemas.event.ChatMessage;
import dev.aimnext.schemas.event.DeadLetter;
import dev.aimnext.schemas.event.GuardrailAction;
import dev.aimnext.schemas.event.GuardrailFinding;
import dev.aimnext.schemas.event.GuardrailVerdict;
import dev.aimnext.schemas.event.InferenceRequest;

import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectClusterRESTAddress;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The guardrail job on a MiniCluster against a real KRaft broker. */
class GuardrailJobITCase {

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .setConfiguration(MiniClusterConfigs.fastMetrics())
                            .build());

    private static final Duration WAIT = Duration.ofSeconds(180);

    @Test
    void everyRequestIsAccountedForExactlyOnce(@InjectClusterRESTAddress URI rest) throws Exception {
        Topics topics = Topics.create(KAFKA, "mixed");
        DemoTraffic traffic = new DemoTraffic(7, "mixed");
        List<DemoTraffic.Sample> samples = new ArrayList<>();
        for (String label : DemoTraffic.piiLabels()) {
            samples.add(traffic.pii(label)); // every supported type at least once
        }
        for (String label : DemoTraffic.malformedLabels()) {
            samples.add(traffic.malformed(label));
        }
        for (int i = 0; i < 400; i++) {
            samples.add(traffic.next());
        }
        Map<String, DemoTraffic.Sample> expectedVerdicts = new HashMap<>();
        int malformed = 0;
        for (DemoTraffic.Sample s : samples) {
            if (s.kind() == DemoTraffic.Kind.MALFORMED) {
                malformed++;
            } else {
                expectedVerdicts.put(s.requestId(), s);
            }
        }

        JobClient job = start(topics);
        List<ConsumerRecord<byte[], byte[]>> verdictRecords;
        List<ConsumerRecord<byte[], byte[]>> deadRecords;
        List<ConsumerRecord<byte[], byte[]>> allowedRecords;
        long restarts;
        int expectedDead = malformed;
        try {
            produce(topics.requests, samples);
            try (TopicReader verdicts = new TopicReader(KAFKA.bootstrapServers(), List.of(topics.verdicts));
                TopicReader dead = new TopicReader(KAFKA.bootstrapServers(), List.of(topics.deadLetters));
                TopicReader allowed = new TopicReader(KAFKA.bootstrapServers(), List.of(topics.allowed))) {
            verdictRecords = verdicts.readUntil(r -> r.size() >= expectedVerdicts.size(), WAIT);
            deadRecords = dead.readUntil(r -> r.size() >= expectedDead, WAIT);
            allowedRecords = allowed.readUntil(r -> false, Duration.ofSeconds(3));
            }
            restarts = new JobRestClient(rest).restarts(job.getJobID());
        } finally {
            job.cancel().get(30, TimeUnit.SECONDS);
        }

        // Exactly one verdict per decodable request.
        Map<String, GuardrailVerdict> verdictById = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : verdictRecords) {
            GuardrailVerdict v = decode(GuardrailVerdict.class, r.value());
            assertThat(verdictById.put(v.getRequestId(), v)).as("duplicate verdict %s", v.getRequestId()).isNull();
            assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo(v.getRequestId());
        }
        assertThat(verdictById.keySet()).isEqualTo(expectedVerdicts.keySet());
        assertThat(deadRecords).hasSize(malformed);

        // Allowed topic: exactly the allowed and redacted requests, once each, never the blocked ones.
        Map<String, InferenceRequest> allowedById = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : allowedRecords) {
            InferenceRequest req = decode(InferenceRequest.class, r.value());
            assertThat(allowedById.put(req.getRequestId(), req)).as("duplicate %s", req.getRequestId()).isNull();
        }
        Set<String> passed = new HashSet<>();
        verdictById.forEach((id, v) -> {
            if (v.getAction() != GuardrailAction.BLOCK) {
                passed.add(id);
            }
        });
        assertThat(allowedById.keySet()).isEqualTo(passed);

        // Each sample got the decision its content calls for, and no raw value got through.
        for (DemoTraffic.Sample sample : expectedVerdicts.values()) {
            GuardrailVerdict verdict = verdictById.get(sample.requestId());
            assertThat(verdict.getPolicyVersion()).isEqualTo("default-2");
            if (sample.kind() == DemoTraffic.Kind.BENIGN) {
                assertThat(verdict.getAction()).as("benign %s", sample.requestId()).isEqualTo(GuardrailAction.ALLOW);
                continue;
            }
            if (sample.kind() == DemoTraffic.Kind.INJECTION || sample.kind() == DemoTraffic.Kind.TOXIC) {
                assertThat(verdict.getAction()).as("%s %s", sample.label(), sample.requestId())
                        .isEqualTo(GuardrailAction.BLOCK);
                assertThat(verdict.getReason()).startsWith("block: " + sample.label());
                continue;
            }
            assertThat(verdict.getFindings()).extracting(GuardrailFinding::getType)
                    .as("findings of %s", sample.label()).contains(sample.label());
            boolean secret = Set.of("AWS_ACCESS_KEY", "GITHUB_TOKEN", "SLACK_TOKEN", "JWT", "PRIVATE_KEY")
                    .contains(sample.label());
            assertThat(verdict.getAction()).as("action for %s", sample.label())
                    .isEqualTo(secret ? GuardrailAction.BLOCK : GuardrailAction.REDACT);
            if (!secret) {
                String forwarded = allText(allowedById.get(sample.requestId()));
                for (String raw : sample.rawValues()) {
                    assertThat(forwarded).as("forwarded %s", sample.label()).doesNotContain(raw);
                }
            }
        }
        assertNoRawValues(samples, verdictRecords, deadRecords);
        assertThat(restarts).isZero();
    }

    @Test
    void badInputIsDeadLetteredAndNeverRestartsTheJob(@InjectClusterRESTAddress URI rest) throws Exception {
        Topics topics = Topics.create(KAFKA, "bad");
        DemoTraffic traffic = new DemoTraffic(11, "bad");
        List<DemoTraffic.Sample> bad = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            for (String label : DemoTraffic.malformedLabels()) {
                bad.add(traffic.malformed(label));
            }
        }
        byte[] oneMegabyte = ("{\"messages\":[{\"role\":\"user\",\"content\":\"" + "a".repeat(1 << 20) + "\"}]}")
                .getBytes(StandardCharsets.UTF_8);
        Random random = new Random(3);
        List<byte[]> randomValues = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            byte[] value = new byte[1 + random.nextInt(300)];
            random.nextBytes(value);
            randomValues.add(value);
        }
        List<DemoTraffic.Sample> good = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            good.add(traffic.benign());
        }

        JobClient job = start(topics);
        int expectedDead = bad.size() + 1 + randomValues.size();
        List<ConsumerRecord<byte[], byte[]>> deadRecords;
        List<ConsumerRecord<byte[], byte[]>> verdictRecords;
        long restarts;
        JobStatus status;
        try {
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(DemoProducer.producerConfig(KAFKA.bootstrapServers()))) {
                for (DemoTraffic.Sample s : bad) {
                    producer.send(DemoProducer.record(topics.requests, s));
                }
                producer.send(new ProducerRecord<>(topics.requests, oneMegabyte));
                for (byte[] value : randomValues) {
                    producer.send(new ProducerRecord<>(topics.requests, value));
                }
                for (DemoTraffic.Sample s : good) {
                    producer.send(DemoProducer.record(topics.requests, s));
                }
                producer.flush();
            }
            try (TopicReader dead = new TopicReader(KAFKA.bootstrapServers(), List.of(topics.deadLetters));
                    TopicReader verdicts = new TopicReader(KAFKA.bootstrapServers(), List.of(topics.verdicts))) {
                deadRecords = dead.readUntil(r -> r.size() >= expectedDead, WAIT);
                verdictRecords = verdicts.readUntil(r -> r.size() >= good.size(), WAIT);
            }
            restarts = new JobRestClient(rest).restarts(job.getJobID());
            status = job.getJobStatus().get(10, TimeUnit.SECONDS);
        } finally {
            job.cancel().get(30, TimeUnit.SECONDS);
        }

        assertThat(deadRecords).hasSize(expectedDead);
        assertThat(verdictRecords).hasSize(good.size());
        Map<String, Integer> reasons = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : deadRecords) {
            DeadLetter d = decode(DeadLetter.class, r.value());
            assertThat(d.getReason()).isNotBlank();
            assertThat(d.getSourceTopic()).isEqualTo(topics.requests);
            assertThat(d.getPayload().remaining()).isLessThanOrEqualTo(4096);
            reasons.merge(d.getReasonCode(), 1, Integer::sum);
        }
        assertThat(reasons).containsKeys("MALFORMED_JSON", "UNKNOWN_FORMAT", "INVALID_UTF8", "EMPTY_TEXT",
                "UNKNOWN_SCHEMA", "MALFORMED_AVRO", "TOO_LARGE");
        assertThat(reasons.get("TOO_LARGE")).isEqualTo(1);
        assertNoRawValues(bad, verdictRecords, deadRecords);
        assertThat(restarts).isZero();
        assertThat(status).isEqualTo(JobStatus.RUNNING);
    }

    /** No raw PII value of any sample appears in verdicts or dead letters. */
    private static void assertNoRawValues(List<DemoTraffic.Sample> samples, List<ConsumerRecord<byte[], byte[]>> verdicts,
            List<ConsumerRecord<byte[], byte[]>> deadLetters) {
        List<String> output = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : verdicts) {
            output.add(new String(r.value(), StandardCharsets.ISO_8859_1));
        }
        for (ConsumerRecord<byte[], byte[]> r : deadLetters) {
            output.add(new String(r.value(), StandardCharsets.ISO_8859_1));
        }
        for (DemoTraffic.Sample sample : samples) {
            for (String raw : sample.rawValues()) {
                for (String text : output) {
                    assertThat(text).doesNotContain(raw);
                }
            }
        }
    }

    private static String allText(InferenceRequest request) {
        StringBuilder text = new StringBuilder();
        for (ChatMessage m : request.getMessages()) {
            text.append(m.getContent()).append('\n');
        }
        return text.toString();
    }

    private JobClient start(Topics topics) throws Exception {
        Configuration config = topics.configuration(KAFKA.bootstrapServers());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        env.enableCheckpointing(1_000);
        GuardrailJob.fromConfiguration(config).build(env);
        return env.executeAsync("guardrails-" + topics.prefix);
    }

    private static void produce(String topic, List<DemoTraffic.Sample> samples) {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(DemoProducer.producerConfig(KAFKA.bootstrapServers()))) {
            for (DemoTraffic.Sample s : samples) {
                producer.send(DemoProducer.record(topic, s));
            }
            producer.flush();
        }
    }

    static <T extends org.apache.avro.specific.SpecificRecord> T decode(Class<T> type, byte[] bytes)
            throws EventDecodingException {
        return AvroEventCodec.of(type).decode(bytes);
    }

    /** Per-test topic names, so tests sharing the broker do not see each other's records. */
    record Topics(String prefix, String requests, String allowed, String verdicts, String deadLetters) {

        static Topics create(KafkaBrokerExtension kafka, String prefix) {
            Topics t = new Topics(prefix, prefix + ".aim.requests", prefix + ".aim.requests.allowed",
                    prefix + ".aim.guardrail.verdicts", prefix + ".aim.deadletter");
            kafka.createTopics(List.of(t.requests, t.allowed, t.verdicts, t.deadLetters), 2);
            return t;
        }

        Configuration configuration(String bootstrap) {
            Configuration config = new Configuration();
            config.set(GuardrailOptions.BOOTSTRAP_SERVERS, bootstrap);
            config.set(GuardrailOptions.REQUESTS_TOPIC, requests);
            config.set(GuardrailOptions.ALLOWED_TOPIC, allowed);
            config.set(GuardrailOptions.VERDICTS_TOPIC, verdicts);
            config.set(GuardrailOptions.DEADLETTER_TOPIC, deadLetters);
            config.set(GuardrailOptions.GROUP_ID, prefix + "-guardrails");
            config.set(GuardrailOptions.TRANSACTIONAL_ID_PREFIX, prefix + "-tx");
            return config;
        }
    }
}
