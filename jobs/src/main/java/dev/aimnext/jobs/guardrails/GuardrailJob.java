package dev.aimnext.jobs.guardrails;

import dev.aimnext.operators.deadletter.DeadLetterSplitter;
import dev.aimnext.operators.guardrails.pii.PiiGuardrail;
import dev.aimnext.operators.guardrails.pii.policy.PiiPolicy;
import dev.aimnext.operators.guardrails.pii.policy.PiiPolicyParser;
import dev.aimnext.operators.guardrails.stage.InputGuardrailFunction;
import dev.aimnext.schemas.event.DeadLetter;
import dev.aimnext.schemas.event.GuardrailVerdict;
import dev.aimnext.schemas.event.InferenceRequest;

import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.types.Either;

import java.nio.file.Path;

/**
 * The input guardrail job: {@code aim.requests} → decode (rejects to {@code aim.deadletter}) → PII
 * guardrail → allowed and redacted requests to {@code aim.requests.allowed}, one verdict per request
 * to {@code aim.guardrail.verdicts}. It only wires; the sources and sinks come in through the
 * constructor so tests can hand in their own.
 */
public final class GuardrailJob {

    public static final String NAME = "aim-guardrails";

    private final Source<Either<DeadLetter, InferenceRequest>, ?, ?> requests;
    private final Sink<InferenceRequest> allowed;
    private final Sink<GuardrailVerdict> verdicts;
    private final Sink<DeadLetter> deadLetters;
    private final PiiPolicy policy;

    public GuardrailJob(
            Source<Either<DeadLetter, InferenceRequest>, ?, ?> requests,
            Sink<InferenceRequest> allowed,
            Sink<GuardrailVerdict> verdicts,
            Sink<DeadLetter> deadLetters,
            PiiPolicy policy) {
        this.requests = requests;
        this.allowed = allowed;
        this.verdicts = verdicts;
        this.deadLetters = deadLetters;
        this.policy = policy;
    }

    /** Adds the pipeline to {@code env}. */
    public void build(StreamExecutionEnvironment env) {
        SingleOutputStreamOperator<InferenceRequest> decoded =
                env.fromSource(requests, WatermarkStrategy.noWatermarks(), "aim.requests")
                        .uid("requests-source")
                        .process(new DeadLetterSplitter<InferenceRequest>())
                        .returns(new AvroTypeInfo<>(InferenceRequest.class))
                        .name("decode")
                        .uid("decode");
        decoded.getSideOutput(DeadLetterSplitter.DEAD_LETTERS)
                .sinkTo(deadLetters)
                .name("aim.deadletter")
                .uid("deadletter-sink");

        SingleOutputStreamOperator<GuardrailVerdict> verdictStream =
                decoded.process(new InputGuardrailFunction(policy))
                        .name("input guardrails")
                        .uid("input-guardrails");
        verdictStream.sinkTo(verdicts).name("aim.guardrail.verdicts").uid("verdicts-sink");
        verdictStream
                .getSideOutput(InputGuardrailFunction.FORWARDED)
                .sinkTo(allowed)
                .name("aim.requests.allowed")
                .uid("allowed-sink");
    }

    public JobExecutionResult execute(StreamExecutionEnvironment env) throws Exception {
        build(env);
        return env.execute(NAME);
    }

    /** Loads the policy file named in the configuration, or the built-in default. */
    public static PiiPolicy policyFrom(Configuration config) {
        PiiPolicy policy =
                config.getOptional(GuardrailOptions.POLICY_FILE)
                        .map(file -> PiiPolicyParser.parseFile(Path.of(file)))
                        .orElseGet(PiiPolicyParser::defaultPolicy);
        // A hashing policy without its secret must fail here, with the variable's name, rather
        // than in every task after deployment.
        new PiiGuardrail(policy, System::getenv).checkSecretsAvailable("default");
        return policy;
    }

    /** Builds the job from configuration, with Kafka sources and sinks. */
    public static GuardrailJob fromConfiguration(Configuration config) {
        GuardrailKafka kafka = new GuardrailKafka(config);
        return new GuardrailJob(
                kafka.requestSource(), kafka.allowedSink(), kafka.verdictSink(), kafka.deadLetterSink(),
                policyFrom(config));
    }

    /** Entry point for FlinkDeployments: {@code --aim.kafka.bootstrap-servers host:9092 ...}. */
    public static void main(String[] args) throws Exception {
        Configuration config = JobArguments.parse(args);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        long interval = config.get(GuardrailOptions.CHECKPOINT_INTERVAL).toMillis();
        if (interval > 0) {
            env.enableCheckpointing(interval);
        } else if (config.get(GuardrailOptions.DELIVERY_GUARANTEE) == Delivery.EXACTLY_ONCE) {
            throw new IllegalArgumentException(
                    "EXACTLY_ONCE needs checkpoints: set aim.checkpoint.interval above 0");
        }
        fromConfiguration(config).execute(env);
    }
}
