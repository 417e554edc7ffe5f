package dev.aimnext.jobs.guardrails;

import dev.aimnext.operators.deadletter.DeadLetterSplitter;
import dev.aimnext.operators.guardrails.pii.policy.PiiPolicy;
import dev.aimnext.operators.guardrails.stage.InputGuardrailFunction;
import dev.aimnext.operators.guardrails.stage.InputGuardrails;
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

/**
 * The input guardrail job: {@code aim.requests} → decode (rejects to {@code aim.deadletter}) →
 * model guardrails (prompt injection, toxicity; async, micro-batched) → policy decision and PII
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
    private final GuardrailSetup guardrails;

    public GuardrailJob(
            Source<Either<DeadLetter, InferenceRequest>, ?, ?> requests,
            Sink<InferenceRequest> allowed,
            Sink<GuardrailVerdict> verdicts,
            Sink<DeadLetter> deadLetters,
            GuardrailSetup guardrails) {
        this.requests = requests;
        this.allowed = allowed;
        this.verdicts = verdicts;
        this.deadLetters = deadLetters;
        this.guardrails = guardrails;
    }

    /** A job with the PII guardrail only, without model guardrails. */
    public GuardrailJob(
            Source<Either<DeadLetter, InferenceRequest>, ?, ?> requests,
            Sink<InferenceRequest> allowed,
            Sink<GuardrailVerdict> verdicts,
            Sink<DeadLetter> deadLetters,
            PiiPolicy policy) {
        this(requests, allowed, verdicts, deadLetters, GuardrailSetup.piiOnly(policy));
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

        SingleOutputStreamOperator<GuardrailVerdict> verdictStream = InputGuardrails.apply(
                decoded, guardrails.policy(), guardrails.inputModels(), guardrails.modelSettings(),
                guardrails.namedEntityPack());
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

    /** Builds the job from configuration, with Kafka sources and sinks; the policy and its packs are checked here. */
    public static GuardrailJob fromConfiguration(Configuration config) {
        GuardrailKafka kafka = new GuardrailKafka(config);
        return new GuardrailJob(
                kafka.requestSource(), kafka.allowedSink(), kafka.verdictSink(), kafka.deadLetterSink(),
                GuardrailSetup.fromConfiguration(config));
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
