package dev.aimnext.operators.qos.slo;

import dev.aimnext.operators.qos.placement.Priority;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SloYamlLoaderTest {

    @Test
    void readsEveryKeyWithUnitsAndDefaults() {
        SloCatalog catalog = SloYamlLoader.load("""
                models:
                  llama-3.1-8b:
                    ttft_p99_ms: 300
                    tpot_p99_ms: 40.5
                    e2e_p99_ms: 6000
                    priority: high
                    min_memory: 24GiB
                    max_memory: 48 GiB
                  qwen-embed:
                    e2e_p99_ms: 150
                """, "slo.yaml");

        ModelSlo llama = catalog.forModel("llama-3.1-8b").orElseThrow();
        assertThat(llama).isEqualTo(new ModelSlo("llama-3.1-8b", 300, 40.5, 6000, Priority.HIGH,
                24L << 30, 48L << 30));
        ModelSlo embed = catalog.lookup("qwen-embed");
        assertThat(embed.ttftP99Ms()).isZero();
        assertThat(embed.priority()).isEqualTo(Priority.MEDIUM);
        assertThat(embed.maxMemoryBytes()).isZero();
        assertThat(catalog.lookup("unknown")).isNull();
    }

    @Test
    void unknownKeyIsNamedWithItsLine() {
        assertThatThrownBy(() -> SloYamlLoader.load("""
                models:
                  llama:
                    ttft_p99_ms: 300
                    ttft_p95_ms: 200
                """, "slo.yaml"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("slo.yaml line 4: unknown key 'models.llama.ttft_p95_ms'")
                .hasMessageContaining("ttft_p99_ms");
        assertThatThrownBy(() -> SloYamlLoader.load("model:\n  a: {}\n", "s"))
                .hasMessageStartingWith("s line 1: unknown key 'model'");
    }

    @Test
    void badValuesAreNamedWithKeyAndLine() {
        assertThatThrownBy(() -> SloYamlLoader.load("models:\n  a:\n    ttft_p99_ms: fast\n", "f"))
                .hasMessage("f line 3: models.a.ttft_p99_ms: 'fast' is not a number of milliseconds");
        assertThatThrownBy(() -> SloYamlLoader.load("models:\n  a:\n    e2e_p99_ms: -5\n", "f"))
                .hasMessageContaining("line 3: models.a.e2e_p99_ms: must be a finite number");
        assertThatThrownBy(() -> SloYamlLoader.load("models:\n  a:\n    priority: urgent\n", "f"))
                .hasMessageContaining("line 3: models.a.priority: unknown priority 'urgent'");
        assertThatThrownBy(() -> SloYamlLoader.load("models:\n  a:\n    min_memory: 24GiG\n", "f"))
                .hasMessageContaining("line 3: models.a.min_memory: unknown memory unit 'GiG'");
        assertThatThrownBy(() -> SloYamlLoader.load("models:\n  a:\n    min_memory: 8GiB\n    max_memory: 4GiB\n", "f"))
                .hasMessageContaining("line 3: model a: need 0 <= min memory <= max memory");
        assertThatThrownBy(() -> SloYamlLoader.load("models:\n  a:\n    ttft_p99_ms: [1, 2]\n", "f"))
                .hasMessageContaining("line 3: models.a.ttft_p99_ms must be a single value");
    }

    @Test
    void repeatedKeysAndModelsAreErrors() {
        assertThatThrownBy(() -> SloYamlLoader.load("models:\n  a:\n    ttft_p99_ms: 1\n    ttft_p99_ms: 2\n", "f"))
                .hasMessageContaining("line 4: key 'models.a.ttft_p99_ms' appears twice");
        assertThatThrownBy(() -> SloYamlLoader.load("models:\n  a: {}\n  a: {}\n", "f"))
                .hasMessageContaining("line 3: models.a is listed twice");
    }

    @Test
    void emptyOrMalformedDocumentsSaySo() {
        assertThatThrownBy(() -> SloYamlLoader.load("", "f")).hasMessageContaining("empty");
        assertThatThrownBy(() -> SloYamlLoader.load("models: [a, b]\n", "f"))
                .hasMessageContaining("line 1: models must be a mapping");
        assertThatThrownBy(() -> SloYamlLoader.load("models:\n  a: {\n", "f"))
                .hasMessageStartingWith("f: not valid YAML");
    }

    @Test
    void memorySizesInBinaryAndDecimalUnits() {
        assertThat(MemorySize.parseBytes("24GiB")).isEqualTo(24L << 30);
        assertThat(MemorySize.parseBytes("1.5 TiB")).isEqualTo(3L << 39);
        assertThat(MemorySize.parseBytes("80GB")).isEqualTo(80_000_000_000L);
        assertThat(MemorySize.parseBytes("4096")).isEqualTo(4096L);
        assertThatThrownBy(() -> MemorySize.parseBytes("GiB")).hasMessageContaining("not a memory size");
        assertThatThrownBy(() -> MemorySize.parseBytes("1.2.3GiB")).hasMessageContaining("not a memory size");
    }
}
