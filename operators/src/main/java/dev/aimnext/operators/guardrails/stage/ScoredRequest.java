package dev.aimnext.operators.guardrails.stage;

import dev.aimnext.schemas.event.InferenceRequest;

import org.apache.flink.api.common.typeinfo.TypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;

import java.lang.reflect.Type;
import java.util.HashMap;
import java.util.Map;

/**
 * A request with the scores its model guardrails gave it, on its way from {@link
 * ModelScoringFunction} to {@link InputGuardrailFunction}. A Flink POJO whose fields have explicit
 * type information (Avro for the request, maps of strings and doubles), so nothing falls back to Kryo.
 */
@TypeInfo(ScoredRequest.TypeFactory.class)
public final class ScoredRequest {

    /** The request as it arrived. */
    public InferenceRequest request;

    /** Score per key of every pack the stage reads; a failed pack's keys are absent. */
    public Map<String, Double> scores = new HashMap<>();

    /** Failure cause (e.g. {@code timeout}) per pack alias, for packs that gave no scores. */
    public Map<String, String> failures = new HashMap<>();

    /** Time from submission to the last pack's answer. */
    public long modelMicros;

    public ScoredRequest() {}

    public ScoredRequest(InferenceRequest request, Map<String, Double> scores, Map<String, String> failures,
                         long modelMicros) {
        this.request = request;
        this.scores = scores;
        this.failures = failures;
        this.modelMicros = modelMicros;
    }

    /** A request of a stage without model guardrails. */
    public static ScoredRequest unscored(InferenceRequest request) {
        return new ScoredRequest(request, new HashMap<>(), new HashMap<>(), 0);
    }

    /** The type information of the class, for {@code returns(...)} where Flink cannot infer it. */
    public static TypeInformation<ScoredRequest> typeInfo() {
        return Types.POJO(ScoredRequest.class, Map.of(
                "request", new AvroTypeInfo<>(InferenceRequest.class),
                "scores", Types.MAP(Types.STRING, Types.DOUBLE),
                "failures", Types.MAP(Types.STRING, Types.STRING),
                "modelMicros", Types.LONG));
    }

    /** Lets Flink's type extraction find {@link #typeInfo()}. */
    public static final class TypeFactory extends TypeInfoFactory<ScoredRequest> {
        @Override
        public TypeInformation<ScoredRequest> createTypeInfo(Type t, Map<String, TypeInformation<?>> genericParameters) {
            return typeInfo();
        }
    }
}
