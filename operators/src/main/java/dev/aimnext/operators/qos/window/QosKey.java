package dev.aimnext.operators.qos.window;

import dev.aimnext.schemas.event.RequestTelemetry;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.api.java.tuple.Tuple2;

/** The QoS key, (model, partition address), of telemetry and of panes. */
public final class QosKey {

    public static final TypeInformation<Tuple2<String, String>> TYPE = Types.TUPLE(Types.STRING, Types.STRING);

    private QosKey() {}

    /** Keys request telemetry by model and {@link PartitionAddress}. */
    public static final class OfTelemetry implements KeySelector<RequestTelemetry, Tuple2<String, String>> {
        private static final long serialVersionUID = 1L;

        @Override
        public Tuple2<String, String> getKey(RequestTelemetry t) {
            return Tuple2.of(t.getModel(), PartitionAddress.of(t.getGpuId(), t.getPartitionId()));
        }
    }

    /** Keys panes the same way as the telemetry they came from. */
    public static final class OfPane implements KeySelector<QosPane, Tuple2<String, String>> {
        private static final long serialVersionUID = 1L;

        @Override
        public Tuple2<String, String> getKey(QosPane pane) {
            return Tuple2.of(pane.model, pane.partitionId);
        }
    }
}
