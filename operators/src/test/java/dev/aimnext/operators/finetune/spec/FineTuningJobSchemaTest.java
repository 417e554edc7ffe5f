package dev.aimnext.operators.finetune.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The JSON Schema in the schemas module accepts what the parser accepts (the examples) and rejects
 * the same mistakes, for editors and for the CRD's validation, which see no files on disk.
 */
class FineTuningJobSchemaTest {

    private static final JsonSchema SCHEMA = loadSchema();
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonSchema loadSchema() {
        try (InputStream in = FineTuningJobSpec.class.getResourceAsStream(FineTuningJobSpec.SCHEMA_RESOURCE)) {
            assertThat(in).as("schema on the classpath from aim-schemas").isNotNull();
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(in);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static Set<String> violations(String yaml) {
        JsonNode node = JSON.valueToTree(new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml));
        return SCHEMA.validate(node).stream().map(ValidationMessage::getMessage).collect(Collectors.toSet());
    }

    @ParameterizedTest
    @ValueSource(strings = {"llama-3.1-8b-chat-lora.yaml", "mistral-7b-summarization-qlora.yaml", "phi-3-mini-full.yaml"})
    void examplesFollowTheSchema(String name) throws IOException {
        assertThat(violations(Files.readString(ExampleSpecsTest.EXAMPLES.resolve(name)))).isEmpty();
    }

    private static final String VALID = """
            apiVersion: aim.amd.com/v1alpha1
            kind: FineTuningJob
            metadata: {name: job}
            spec:
              baseModel: {modelId: m, path: models/m}
              method: lora
              dataset: {source: data.jsonl}
              hyperparameters: {learningRate: 2.0e-4, loraRank: 16}
              output: {path: out}
              resources: {gpuMemoryGb: 48}
            """;

    @Test
    void aValidSpecPasses() {
        assertThat(violations(VALID)).isEmpty();
    }

    @Test
    void valueMistakesAreCaught() {
        Set<String> v = violations(VALID.replace("name: job", "name: Job_1").replace("learningRate: 2.0e-4", "learningRate: 3")
                .replace("method: lora", "method: dora").replace("gpuMemoryGb: 48", "gpuMemoryGb: 0")
                .replace("loraRank: 16", "loraRank: 16, targetModules: [q, mlp], gradientCheckpointing: sometimes"));
        assertThat(v).anySatisfy(m -> assertThat(m).contains("metadata.name").contains("pattern"))
                .anySatisfy(m -> assertThat(m).contains("learningRate").contains("0.01"))
                .anySatisfy(m -> assertThat(m).contains("method").contains("enum"))
                .anySatisfy(m -> assertThat(m).contains("gpuMemoryGb"))
                .anySatisfy(m -> assertThat(m).contains("targetModules"))
                .anySatisfy(m -> assertThat(m).contains("gradientCheckpointing"));
    }

    @Test
    void crossFieldRulesAreCaught() {
        assertThat(violations(VALID.replace("method: lora", "method: full")))
                .as("LoRA settings with method full").isNotEmpty();
        assertThat(violations(VALID.replace("  method: lora\n", "")))
                .as("no method and no template").anySatisfy(m -> assertThat(m).contains("method"));
        assertThat(violations(VALID.replace("  method: lora\n", "  template: chat\n").replace("learningRate: 2.0e-4, ", "")))
                .as("a template supplies method and learning rate").isEmpty();
        assertThat(violations(VALID.replace("output: {path: out}", "output: {path: out, registry: hf://a/b}")))
                .as("path and registry").isNotEmpty();
        assertThat(violations(VALID.replace("output: {path: out}", "output: {registry: harbor.example.com/aim-models}")))
                .isEmpty();
        assertThat(violations(VALID.replace("dataset: {source: data.jsonl}", "dataset: {source: d, format: classification}")))
                .as("classification data for a causal LM").isNotEmpty();
        assertThat(violations(VALID.replace("spec:\n", "spec:\n  colour: blue\n")))
                .anySatisfy(m -> assertThat(m).contains("colour"));
    }
}
