package dev.aimnext.operators.qos.sketch;

import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

import java.lang.reflect.Type;
import java.util.Map;

/**
 * Tells Flink to use {@link QosAccumulatorSerializer} wherever a {@link QosAccumulator} appears:
 * window state, POJO fields, network records. Without it Flink would fall back to Kryo.
 */
public final class QosAccumulatorTypeInfo extends TypeInformation<QosAccumulator> {

    private static final long serialVersionUID = 1L;

    public static final QosAccumulatorTypeInfo INSTANCE = new QosAccumulatorTypeInfo();

    @Override
    public boolean isBasicType() {
        return false;
    }

    @Override
    public boolean isTupleType() {
        return false;
    }

    @Override
    public int getArity() {
        return 1;
    }

    @Override
    public int getTotalFields() {
        return 1;
    }

    @Override
    public Class<QosAccumulator> getTypeClass() {
        return QosAccumulator.class;
    }

    @Override
    public boolean isKeyType() {
        return false;
    }

    @Override
    public TypeSerializer<QosAccumulator> createSerializer(SerializerConfig config) {
        return new QosAccumulatorSerializer();
    }

    @Override
    public String toString() {
        return "QosAccumulator";
    }

    @Override
    public boolean equals(Object obj) {
        return obj instanceof QosAccumulatorTypeInfo;
    }

    @Override
    public int hashCode() {
        return QosAccumulatorTypeInfo.class.hashCode();
    }

    @Override
    public boolean canEqual(Object obj) {
        return obj instanceof QosAccumulatorTypeInfo;
    }

    /** Referenced by the {@code @TypeInfo} annotation on {@link QosAccumulator}. */
    public static final class Factory extends TypeInfoFactory<QosAccumulator> {
        @Override
        public TypeInformation<QosAccumulator> createTypeInfo(Type t, Map<String, TypeInformation<?>> generics) {
            return INSTANCE;
        }
    }
}
