package dev.aimnext.jobs.local;

import org.apache.kafka.clients.admin.NewTopic;

import java.util.List;
import java.util.Map;

/** The topic table of the architecture, as the local stack creates it. */
public final class AimTopics {

    public static final String REQUESTS = "aim.requests";
    public static final String RESPONSES = "aim.responses";
    public static final String REQUESTS_ALLOWED = "aim.requests.allowed";
    public static final String RESPONSES_ALLOWED = "aim.responses.allowed";
    public static final String VERDICTS = "aim.guardrail.verdicts";
    public static final String DEADLETTER = "aim.deadletter";
    public static final String POLICIES = "aim.policies";
    public static final String TELEMETRY_REQUESTS = "aim.telemetry.requests";
    public static final String TELEMETRY_GPU = "aim.telemetry.gpu";
    public static final String QOS_METRICS = "aim.qos.metrics";
    public static final String PARTITION_PLANS = "aim.partition.plans";
    public static final String TRAINING_EVENTS = "aim.training.events";

    private AimTopics() {}

    /** All topics, with the settings the local stack needs. */
    public static List<NewTopic> all(int partitions) {
        return List.of(
                topic(REQUESTS, partitions, Map.of("max.message.bytes", "4194304")),
                topic(RESPONSES, partitions, Map.of()),
                topic(REQUESTS_ALLOWED, partitions, Map.of("max.message.bytes", "4194304")),
                topic(RESPONSES_ALLOWED, partitions, Map.of()),
                topic(VERDICTS, partitions, Map.of()),
                topic(DEADLETTER, 1, Map.of()),
                // Latest policy per tenant is all that matters.
                topic(POLICIES, 1, Map.of("cleanup.policy", "compact")),
                topic(TELEMETRY_REQUESTS, partitions, Map.of()),
                topic(TELEMETRY_GPU, partitions, Map.of()),
                topic(QOS_METRICS, partitions, Map.of()),
                topic(PARTITION_PLANS, 1, Map.of()),
                topic(TRAINING_EVENTS, 1, Map.of()));
    }

    private static NewTopic topic(String name, int partitions, Map<String, String> configs) {
        return new NewTopic(name, partitions, (short) 1).configs(configs);
    }
}
