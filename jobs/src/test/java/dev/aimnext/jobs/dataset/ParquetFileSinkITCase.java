package dev.aimnext.jobs.dataset;

import dev.aimnext.operators.dataset.tokenize.TokenizedSequence;
import dev.aimnext.operators.dataset.write.TokenizedParquetReader;

import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The sink in a real batch job on a MiniCluster, with no Hadoop runtime on the class path. */
class ParquetFileSinkITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
                    .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @TempDir
    Path dir;

    private static List<TokenizedSequence> sequences(int n) {
        List<TokenizedSequence> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            TokenizedSequence s = new TokenizedSequence();
            s.split = "train";
            s.inputIds = new int[] {i, i + 1};
            s.labels = new int[] {TokenizedSequence.IGNORE_INDEX, i + 1};
            s.positionIds = new int[] {0, 1};
            s.sequenceLengths = new int[] {2};
            s.sources = new String[] {"rows.jsonl#" + (i + 1)};
            all.add(s);
        }
        return all;
    }

    private static StreamExecutionEnvironment batch() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setRuntimeMode(RuntimeExecutionMode.BATCH);
        env.setParallelism(2);
        return env;
    }

    @Test
    void aBatchJobWritesOneParquetFile() throws Exception {
        Path target = dir.resolve("out/train.parquet");
        StreamExecutionEnvironment env = batch();
        env.fromData(TypeInformation.of(TokenizedSequence.class), sequences(50).toArray(new TokenizedSequence[0]))
                .sinkTo(new ParquetFileSink(target)).setParallelism(1);
        env.execute("parquet-sink");

        List<TokenizedSequence> back = TokenizedParquetReader.readAll(target);
        assertThat(back).usingRecursiveFieldByFieldElementComparator().containsExactlyElementsOf(sequences(50));
        try (Stream<Path> files = Files.list(target.getParent())) {
            assertThat(files).containsExactly(target);
        }
    }

    @Test
    void aFailingJobLeavesNoFile() throws Exception {
        Path target = dir.resolve("train.parquet");
        StreamExecutionEnvironment env = batch();
        env.fromData(TypeInformation.of(TokenizedSequence.class), sequences(50).toArray(new TokenizedSequence[0]))
                .map(s -> {
                    if (s.inputIds[0] == 40) {
                        throw new IllegalStateException("tokenizer crashed");
                    }
                    return s;
                }).returns(TokenizedSequence.class).setParallelism(1)
                .sinkTo(new ParquetFileSink(target)).setParallelism(1);

        assertThatThrownBy(() -> env.execute("parquet-sink-fails")).hasStackTraceContaining("tokenizer crashed");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }
}
