package dev.aimnext.operators.qos.sketch;

import dev.aimnext.operators.qos.placement.Priority;
import dev.aimnext.operators.qos.slo.ModelSlo;
import dev.aimnext.operators.qos.window.QosPane;
import dev.aimnext.schemas.event.LatencyQuantiles;
import dev.aimnext.schemas.event.RequestStatus;
import dev.aimnext.schemas.event.RequestTelemetry;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class QosAccumulatorTest {

    private static final ModelSlo SLO = new ModelSlo("m", 300, 40, 4000, Priority.HIGH, 0, 0);

    static RequestTelemetry request(double ttft, double tpot, double e2e, int completionTokens, RequestStatus status) {
        return RequestTelemetry.newBuilder().setRequestId("r").setModel("m").setPartitionId("p")
                .setTtftMs(ttft).setTpotMs(tpot).setE2eMs(e2e).setPromptTokens(10)
                .setCompletionTokens(completionTokens).setStatus(status).setEventTimeMs(1).build();
    }

    @Test
    void quantilesStayWithinTheRelativeAccuracyOfExactOnes() {
        Random random = new Random(42);
        int n = 20_000;
        double[] e2e = new double[n];
        QosAccumulator acc = new QosAccumulator(0.005);
        for (int i = 0; i < n; i++) {
            e2e[i] = Math.exp(7 + 0.8 * random.nextGaussian()); // lognormal around 1.1 s
            acc.add(request(e2e[i] / 10, 20, e2e[i], 50, RequestStatus.OK), SLO);
        }
        Arrays.sort(e2e);
        LatencyQuantiles q = acc.e2eQuantiles();

        assertThat(q.getP50()).isCloseTo(exact(e2e, 0.50), within(exact(e2e, 0.50) * 0.005));
        assertThat(q.getP90()).isCloseTo(exact(e2e, 0.90), within(exact(e2e, 0.90) * 0.005));
        assertThat(q.getP95()).isCloseTo(exact(e2e, 0.95), within(exact(e2e, 0.95) * 0.005));
        assertThat(q.getP99()).isCloseTo(exact(e2e, 0.99), within(exact(e2e, 0.99) * 0.005));
    }

    /** The element at rank floor(q (n - 1)), the rank DDSketch reports. */
    static double exact(double[] sorted, double q) {
        return sorted[(int) Math.floor(q * (sorted.length - 1))];
    }

    @Test
    void mergingPartsEqualsAccumulatingTheWhole() {
        Random random = new Random(7);
        QosAccumulator whole = new QosAccumulator(0.005);
        QosAccumulator[] parts = {new QosAccumulator(0.005), new QosAccumulator(0.005), new QosAccumulator(0.005)};
        for (int i = 0; i < 9_000; i++) {
            double e2e = Math.exp(6 + random.nextGaussian());
            RequestStatus status = i % 50 == 0 ? RequestStatus.ERROR : RequestStatus.OK;
            RequestTelemetry t = request(e2e / 5, 10 + random.nextInt(60), e2e, 1 + random.nextInt(100), status);
            whole.add(t, SLO);
            parts[i % 3].add(t, SLO);
        }
        QosAccumulator merged = parts[0].copy().merge(parts[1]).merge(parts[2]);

        assertThat(merged.requests()).isEqualTo(whole.requests()).isEqualTo(9_000);
        assertThat(merged.errors()).isEqualTo(whole.errors()).isEqualTo(180);
        assertThat(merged.allMet()).isEqualTo(whole.allMet());
        assertThat(merged.ttftMet()).isEqualTo(whole.ttftMet());
        assertThat(merged.tokens()).isEqualTo(whole.tokens());
        assertThat(merged.e2eQuantiles()).isEqualTo(whole.e2eQuantiles());
        assertThat(merged.tpotQuantiles()).isEqualTo(whole.tpotQuantiles());
        assertThat(parts[0].requests()).as("copy() leaves the original alone").isEqualTo(3_000);
    }

    @Test
    void countsObjectivesPerRequestAndFailuresAsMisses() {
        QosAccumulator acc = new QosAccumulator(0.005);
        acc.add(request(100, 30, 1000, 20, RequestStatus.OK), SLO);      // within all
        acc.add(request(500, 30, 1000, 20, RequestStatus.OK), SLO);      // misses ttft
        acc.add(request(100, 90, 3000, 20, RequestStatus.OK), SLO);      // misses tpot
        acc.add(request(100, 900, 3000, 1, RequestStatus.OK), SLO);      // one token: no tpot to miss
        acc.add(request(0, 0, 0, 0, RequestStatus.REJECTED), SLO);       // failed: misses all

        assertThat(acc.requests()).isEqualTo(5);
        assertThat(acc.errors()).isEqualTo(1);
        assertThat(acc.ttftMet()).isEqualTo(3);
        assertThat(acc.tpotMet()).isEqualTo(3);
        assertThat(acc.e2eMet()).isEqualTo(4);
        assertThat(acc.allMet()).isEqualTo(2);
        assertThat(acc.tpotQuantiles().getP99()).as("single-token TPOT is not sampled").isLessThan(100);
    }

    @Test
    void withoutObjectivesEverySuccessCountsAndEmptySketchesGiveNaN() {
        QosAccumulator acc = new QosAccumulator(0.005);
        acc.add(request(0, 0, 0, 0, RequestStatus.TIMEOUT), null);
        assertThat(acc.ttftQuantiles().getP50()).isNaN();
        acc.add(request(9_000, 900, 90_000, 5, RequestStatus.OK), null);
        assertThat(acc.allMet()).isEqualTo(1);
    }

    @Test
    void serializerRoundTripsAndCopiesBytes() throws Exception {
        Random random = new Random(1);
        QosAccumulator acc = new QosAccumulator(0.005);
        for (int i = 0; i < 5_000; i++) {
            double e2e = Math.exp(6 + random.nextGaussian());
            acc.add(request(e2e / 4, 25, e2e, 30, i % 97 == 0 ? RequestStatus.ERROR : RequestStatus.OK), SLO);
        }
        QosAccumulatorSerializer serializer = new QosAccumulatorSerializer();
        DataOutputSerializer out = new DataOutputSerializer(256);
        serializer.serialize(acc, out);
        QosAccumulator back = serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));

        assertThat(back.requests()).isEqualTo(acc.requests());
        assertThat(back.errors()).isEqualTo(acc.errors());
        assertThat(back.allMet()).isEqualTo(acc.allMet());
        assertThat(back.e2eQuantiles()).isEqualTo(acc.e2eQuantiles());
        assertThat(back.ttftQuantiles()).isEqualTo(acc.ttftQuantiles());
        // A decoded sketch must still merge with a fresh one: same index mapping.
        assertThat(back.merge(new QosAccumulator(0.005)).requests()).isEqualTo(5_000);

        DataOutputSerializer copied = new DataOutputSerializer(256);
        serializer.copy(new DataInputDeserializer(out.getCopyOfBuffer()), copied);
        assertThat(copied.getCopyOfBuffer()).isEqualTo(out.getCopyOfBuffer());
        assertThat(out.length()).as("compact: bins, not raw values").isLessThan(6_000);
    }

    @Test
    void flinkUsesTheDedicatedSerializerNotKryo() {
        TypeInformation<QosPane> pane = TypeInformation.of(QosPane.class);

        assertThat(pane).isInstanceOf(PojoTypeInfo.class);
        assertThat(((PojoTypeInfo<QosPane>) pane).getTypeAt("accumulator")).isEqualTo(QosAccumulatorTypeInfo.INSTANCE);
        assertThat(TypeInformation.of(QosAccumulator.class)).isEqualTo(QosAccumulatorTypeInfo.INSTANCE);
    }
}
