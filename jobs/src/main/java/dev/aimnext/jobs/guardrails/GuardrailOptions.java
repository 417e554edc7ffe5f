package dev.aimnext.jobs.guardrails;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

import java.time.Duration;

/** Settings of the guardrail job. The README's configuration table lists the same keys. */
public final class GuardrailOptions {

    private GuardrailOptions() {}

    public static final ConfigOption<String> BOOTSTRAP_SERVERS =
            ConfigOptions.key("aim.kafka.bootstrap-servers")
                    .stringType()
                    .defaultValue("localhost:9092")
                    .withDescription("Kafka bootstrap servers.");

    public static final ConfigOption<String> GROUP_ID =
            ConfigOptions.key("aim.kafka.group-id")
                    .stringType()
                    .defaultValue("aim-guardrails")
                    .withDescription("Consumer group of the request source; offsets are committed on checkpoints.");

    public static final ConfigOption<String> REQUESTS_TOPIC =
            ConfigOptions.key("aim.topics.requests")
                    .stringType()
                    .defaultValue("aim.requests")
                    .withDescription("Input topic of LLM requests (Avro single-object or OpenAI-style JSON).");

    public static final ConfigOption<String> ALLOWED_TOPIC =
            ConfigOptions.key("aim.topics.requests-allowed")
                    .stringType()
                    .defaultValue("aim.requests.allowed")
                    .withDescription("Allowed and redacted requests.");

    public static final ConfigOption<String> VERDICTS_TOPIC =
            ConfigOptions.key("aim.topics.verdicts")
                    .stringType()
                    .defaultValue("aim.guardrail.verdicts")
                    .withDescription("One GuardrailVerdict per request.");

    public static final ConfigOption<String> DEADLETTER_TOPIC =
            ConfigOptions.key("aim.topics.deadletter")
                    .stringType()
                    .defaultValue("aim.deadletter")
                    .withDescription("Records that could not be decoded or validated, with a reason.");

    public static final ConfigOption<String> POLICY_FILE =
            ConfigOptions.key("aim.guardrails.policy-file")
                    .stringType()
                    .noDefaultValue()
                    .withDescription("Guardrail policy YAML. Without it the built-in default policy applies.");

    public static final ConfigOption<Integer> MODEL_CAPACITY =
            ConfigOptions.key("aim.guardrails.model.capacity")
                    .intType()
                    .defaultValue(100)
                    .withDescription(
                            "Requests in flight per subtask in the model-guardrail stage (Flink async capacity); "
                                    + "when it is full, the stage backpressures the source.");

    public static final ConfigOption<Duration> MODEL_TIMEOUT =
            ConfigOptions.key("aim.guardrails.model.timeout")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(10))
                    .withDescription(
                            "Longest wait for a request's model scores. Past it, each model guardrail applies its "
                                    + "on_error: fail_open lets the request through, fail_closed blocks it.");

    public static final ConfigOption<String> PACK_CACHE_DIR =
            ConfigOptions.key("aim.guardrails.packs.cache-dir")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Folder on each TaskManager where built-in model packs (builtin:guard-minilm) are written, "
                                    + "one content-addressed folder per pack. Default: <java.io.tmpdir>/aim-guardrail-packs.");

    public static final ConfigOption<Delivery> DELIVERY_GUARANTEE =
            ConfigOptions.key("aim.delivery.guarantee")
                    .enumType(Delivery.class)
                    .defaultValue(Delivery.AT_LEAST_ONCE)
                    .withDescription(
                            "AT_LEAST_ONCE (low latency; consumers deduplicate by request id) or EXACTLY_ONCE "
                                    + "(Kafka transactions; output becomes visible to read_committed consumers only at checkpoints).");

    public static final ConfigOption<String> TRANSACTIONAL_ID_PREFIX =
            ConfigOptions.key("aim.delivery.transactional-id-prefix")
                    .stringType()
                    .defaultValue("aim-guardrails")
                    .withDescription("Prefix of Kafka transactional ids with EXACTLY_ONCE. Must be unique per job on a cluster.");

    public static final ConfigOption<Duration> CHECKPOINT_INTERVAL =
            ConfigOptions.key("aim.checkpoint.interval")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(10))
                    .withDescription("Checkpoint interval. With EXACTLY_ONCE it bounds how late output becomes visible.");

    public static final ConfigOption<Duration> PRODUCER_LINGER =
            ConfigOptions.key("aim.kafka.producer.linger")
                    .durationType()
                    .defaultValue(Duration.ofMillis(5))
                    .withDescription(
                            "linger.ms of the job's Kafka sinks (Kafka's default, 5 ms). Lower trades broker requests for "
                                    + "produce-to-allowed latency; docs/BENCHMARKS.md was measured with the default.");

    public static final ConfigOption<Integer> MAX_RECORD_BYTES =
            ConfigOptions.key("aim.requests.max-record-bytes")
                    .intType()
                    .defaultValue(512 * 1024)
                    .withDescription("Larger request records are dead-lettered before parsing (TOO_LARGE).");

    public static final ConfigOption<Integer> DEADLETTER_PAYLOAD_BYTES =
            ConfigOptions.key("aim.deadletter.max-payload-bytes")
                    .intType()
                    .defaultValue(4096)
                    .withDescription("How many bytes of a rejected record the dead letter keeps, after PII scrubbing.");
}
