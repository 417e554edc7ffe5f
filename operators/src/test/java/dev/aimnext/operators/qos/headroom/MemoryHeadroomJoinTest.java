package dev.aimnext.operators.qos.headroom;

import dev.aimnext.operators.qos.window.QosReport;
import dev.aimnext.operators.qos.window.QosWindowFactory;
import dev.aimnext.operators.qos.window.QosWindowKind;
import dev.aimnext.operators.qos.window.SloCounts;
import dev.aimnext.schemas.event.GpuSample;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class MemoryHeadroomJoinTest {

    static QosReport report(String partition) {
        return QosWindowFactory.fromCounts("m", partition, QosWindowKind.BURN_5M, 300_000,
                new SloCounts(1, 0, 10, 1, 1, 1, 1), null);
    }

    static GpuSample sample(String gpu, String partition, long used, long limit, long at) {
        return GpuSample.newBuilder().setNode("n").setGpuId(gpu).setPartitionId(partition)
                .setComputePartitionMode("CPX").setMemoryPartitionMode("NPS4").setVramUsedBytes(used)
                .setVramLimitBytes(limit).setProcesses(List.of()).setSampledAtMs(at).build();
    }

    @Test
    void latestUsableSampleOfThePartitionGivesTheHeadroom() throws Exception {
        try (KeyedTwoInputStreamOperatorTestHarness<String, QosReport, GpuSample, QosReport> h =
                ProcessFunctionTestHarnesses.forKeyedCoProcessFunction(new MemoryHeadroomJoin(),
                        new MemoryHeadroomJoin.WindowPartition(), new MemoryHeadroomJoin.SamplePartition(),
                        Types.STRING)) {
            h.processElement1(report("gpu0/3"), 1);                   // no sample yet
            h.processElement2(sample("gpu0", "3", 10, 100, 1_000), 1);
            h.processElement2(sample("gpu0", "3", 50, 100, 500), 1);  // older: ignored
            h.processElement2(sample("gpu0", "3", -1, 100, 2_000), 1); // usage unknown: ignored
            h.processElement2(sample("gpu1", "3", 99, 100, 3_000), 1); // another GPU's partition 3
            h.processElement1(report("gpu0/3"), 2);
            h.processElement2(sample("gpu0", "3", 70, 100, 4_000), 1);
            h.processElement1(report("gpu0/3"), 3);

            assertThat(h.extractOutputValues()).extracting(r -> r.window.getMemoryHeadroomBytes())
                    .containsExactly(null, 90L, 30L);
        }
    }
}
