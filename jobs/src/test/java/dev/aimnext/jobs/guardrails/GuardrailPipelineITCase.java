package dev.aimnext.jobs.guardrails;

import dev.aimnext.jobs.demo.DemoTraffic;
import dev.aimnext.jobs.testing.CollectingSink;
import dev.aimnext.operators.guardrails.pii.PiiPayloadScrubber;
import dev.aimnext.operators.guardrails.pii.policy.PiiPolicyParser;
import dev.aimnext.schemas.event.DeadLetter;
import dev.aimnext.schemas.event.GuardrailAction;
import dev.aimnext.schemas.event.GuardrailVerdict;
import dev.aimnext.schemas.event.InferenceRequest;
import dev.aimnext.schemas.kafka.DeadLetteringDeserializer;
import dev.aimnext.schemas.kafka.InferenceRequestDecoder;

import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Either;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The job's wiring on a MiniCluster with an in-memory bounded source and collecting sinks, as
 * flink-training drives its jobs: no broker, the same decoding and guardrail path as production.
 */
class GuardrailPipelineITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
                    .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @Test
    void routesEveryRecordToExactlyOneOutcome() throws Exception {
        DemoTraffic traffic = new DemoTraffic(5, "mem");
        List<DemoTraffic.Sample> samples = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            samples.add(traffic.next());
        }
        ArrayList<byte[]> values = new ArrayList<>();
        Set<String> decodable = new HashSet<>();
        int malformed = 0;
        for (DemoTraffic.Sample s : samples) {
            values.add(s.value());
            if (s.kind() == DemoTraffic.Kind.MALFORMED) {
                malformed++;
            } else {
                decodable.add(s.requestId());
            }
        }
        DeadLetteringDeserializer<InferenceRequest> deserializer = new DeadLetteringDeserializer<>(
                InferenceRequest.class, new InferenceRequestDecoder(1 << 19), PiiPayloadScrubber.withDefaultPolicy(), 4096);
        GeneratorFunction<Long, Either<DeadLetter, InferenceRequest>> replay = index ->
                deserializer.decodeOrDeadLetter(new ConsumerRecord<>("memory", 0, index, null, values.get(index.intValue())));
        DataGeneratorSource<Either<DeadLetter, InferenceRequest>> source =
                new DataGeneratorSource<>(replay, values.size(), deserializer.getProducedType());
        CollectingSink<InferenceRequest> allowed = new CollectingSink<>("pipeline-allowed");
        CollectingSink<GuardrailVerdict> verdicts = new CollectingSink<>("pipeline-verdicts");
        CollectingSink<DeadLetter> deadLetters = new CollectingSink<>("pipeline-dead");

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        new GuardrailJob(source, allowed, verdicts, deadLetters, PiiPolicyParser.defaultPolicy()).execute(env);

        Set<String> verdictIds = new HashSet<>();
        Set<String> passed = new HashSet<>();
        for (GuardrailVerdict v : verdicts.results()) {
            assertThat(verdictIds.add(v.getRequestId())).as("one verdict per request").isTrue();
            if (v.getAction() != GuardrailAction.BLOCK) {
                passed.add(v.getRequestId());
            }
        }
        Set<String> allowedIds = new HashSet<>();
        for (InferenceRequest r : allowed.results()) {
            assertThat(allowedIds.add(r.getRequestId())).isTrue();
        }
        assertThat(verdictIds).isEqualTo(decodable);
        assertThat(allowedIds).isEqualTo(passed);
        assertThat(deadLetters.results()).hasSize(malformed)
                .allSatisfy(d -> assertThat(d.getSourceTopic()).isEqualTo("memory"));
        assertThat(passed).hasSizeLessThan(decodable.size()); // the traffic holds secrets, which block
    }
}
