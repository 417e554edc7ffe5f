package dev.aimnext.operators.guardrails.engine;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModelPackLoadingTest {

    @TempDir
    Path dir;

    private void writeMinimalPack() throws IOException {
        Files.write(dir.resolve("model.onnx"), new byte[] {0x08, 0x07});
        Files.writeString(dir.resolve("tokenizer.json"), "{}");
        Files.writeString(dir.resolve("config.json"), "{\"id2label\":{\"0\":\"SAFE\",\"1\":\"UNSAFE\"}}");
    }

    @Test
    void aMissingModelFileIsNamed() throws IOException {
        writeMinimalPack();
        Files.delete(dir.resolve("model.onnx"));

        assertThatThrownBy(() -> ModelPack.load(dir)).isInstanceOf(ModelPackException.class)
                .hasMessageContaining("missing").hasMessageContaining(dir.resolve("model.onnx").toString());
    }

    @Test
    void aCorruptModelFileIsNamedWhenTheEngineOpens() throws IOException {
        writeMinimalPack();
        ModelPack pack = ModelPack.load(dir);

        assertThatThrownBy(() -> InferenceEngine.open(pack, EngineSettings.defaults()))
                .isInstanceOf(ModelPackException.class)
                .hasMessageContaining(dir.resolve("model.onnx").toString())
                .hasMessageContaining("cannot load ONNX model");
    }

    @Test
    void aConfigThatIsNotJsonIsNamed() throws IOException {
        writeMinimalPack();
        Files.writeString(dir.resolve("config.json"), "{\"id2label\": {\"0\": ");

        assertThatThrownBy(() -> ModelPack.load(dir)).isInstanceOf(ModelPackException.class)
                .hasMessageContaining(dir.resolve("config.json").toString()).hasMessageContaining("cannot parse JSON");
    }

    @Test
    void aConfigWithGapsInId2labelIsNamed() throws IOException {
        writeMinimalPack();
        Files.writeString(dir.resolve("config.json"), "{\"id2label\":{\"0\":\"A\",\"2\":\"C\"}}");

        assertThatThrownBy(() -> ModelPack.load(dir))
                .hasMessageContaining(dir.resolve("config.json").toString()).hasMessageContaining("0..1");
    }

    @Test
    void aBrokenHeadFileIsNamed() throws IOException {
        writeMinimalPack();
        Files.createDirectories(dir.resolve("heads"));
        Files.writeString(dir.resolve("heads/pi.json"), "{\"labels\":[\"pi\"],\"weights\":[[1,2]],\"bias\":[]}");
        Files.writeString(dir.resolve("aim-pack.json"), "{\"task\":\"encoder_heads\",\"heads\":[\"heads/pi.json\"]}");

        assertThatThrownBy(() -> ModelPack.load(dir))
                .hasMessageContaining(dir.resolve("heads/pi.json").toString()).hasMessageContaining("bias");
    }

    @Test
    void anUnknownTaskInTheManifestIsNamed() throws IOException {
        writeMinimalPack();
        Files.writeString(dir.resolve("aim-pack.json"), "{\"task\":\"translation\"}");

        assertThatThrownBy(() -> ModelPack.load(dir))
                .hasMessageContaining("aim-pack.json").hasMessageContaining("unknown task 'translation'");
    }

    @Test
    void anUnknownProviderNameListsTheKnownOnes() {
        Configuration conf = new Configuration();
        conf.set(GuardrailEngineOptions.PROVIDER, "tpu");

        assertThatThrownBy(() -> GuardrailEngineOptions.settings(conf)).isInstanceOf(ModelPackException.class)
                .hasMessageContaining("unknown execution provider 'tpu'")
                .hasMessageContaining("cpu, cuda, rocm, migraphx");
    }

    @Test
    void aProviderTheOrtBuildLacksFailsWithTheAvailableOnes() {
        assertThatThrownBy(() -> ExecutionProvider.CUDA.requireIn(EnumSet.of(OrtProvider.CPU)))
                .isInstanceOf(ModelPackException.class)
                .hasMessageContaining("'cuda' is not in this ONNX Runtime build")
                .hasMessageContaining("available: CPU");
    }

    @Test
    void theCpuBuildOnTheClassPathRefusesRocmAtOpen() throws IOException {
        // The Maven onnxruntime artifact is the CPU build; it never carries ROCm.
        assertThat(OrtEnvironment.getAvailableProviders()).doesNotContain(OrtProvider.ROCM);
        writeMinimalPack();
        ModelPack pack = ModelPack.load(dir);

        assertThatThrownBy(() -> InferenceEngine.open(pack, EngineSettings.defaults().withProvider(ExecutionProvider.ROCM)))
                .isInstanceOf(ModelPackException.class)
                .hasMessageContaining("'rocm' is not in this ONNX Runtime build");
    }

    @Test
    void settingsComeFromTypedFlinkOptions() {
        Configuration conf = Configuration.fromMap(Map.of(
                GuardrailEngineOptions.PROVIDER.key(), "CUDA",
                GuardrailEngineOptions.MAX_BATCH_SIZE.key(), "64",
                GuardrailEngineOptions.GPU_MEM_LIMIT.key(), "2gb"));

        EngineSettings s = GuardrailEngineOptions.settings(conf);

        assertThat(s.provider()).isEqualTo(ExecutionProvider.CUDA);
        assertThat(s.maxBatchSize()).isEqualTo(64);
        assertThat(s.gpuMemLimitBytes()).isEqualTo(2L << 30);
    }
}
