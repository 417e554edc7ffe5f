package dev.aimnext.operators.qos.plan;

import dev.aimnext.operators.finetune.profile.memory.KvCache;
import dev.aimnext.operators.finetune.profile.model.WeightDtype;
import dev.aimnext.operators.qos.placement.Priority;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The {@code --model} syntax and KV floors in both forms. */
class ModelSpecTest {

    @Test
    void parsesNameFileAndFieldsInAnyOrder() {
        ModelSpec spec = ModelSpec.parse("llama=models/llama/config.json:priority=high:kv=8192x4:fp16:kv-dtype=fp8");

        assertThat(spec.name()).isEqualTo("llama");
        assertThat(spec.file()).isEqualTo(Path.of("models/llama/config.json"));
        assertThat(spec.dtype()).contains(WeightDtype.FP16);
        assertThat(spec.kvDtype()).contains(WeightDtype.FP8);
        assertThat(spec.kvFloor()).contains(KvFloor.ofSequences(8192, 4));
        assertThat(spec.priority()).contains(Priority.HIGH);
    }

    @Test
    void aProfileNeedsNoName() {
        ModelSpec spec = ModelSpec.parse("profiles/llama.json");

        assertThat(spec.name()).isEmpty();
        assertThat(spec.dtype()).isEmpty();
        assertThat(spec.kvFloor()).isEmpty();
    }

    @Test
    void badFieldsAreNamed() {
        assertThatThrownBy(() -> ModelSpec.parse("llama=c.json:prio=high"))
                .hasMessage("model 'llama=c.json:prio=high': unknown field 'prio'; expected a dtype, kv=, kv-dtype= or "
                        + "priority=");
        assertThatThrownBy(() -> ModelSpec.parse("llama=c.json:bf17")).hasMessageStartingWith("unknown dtype 'bf17'");
        assertThatThrownBy(() -> ModelSpec.parse("llama=c.json:priority=urgent"))
                .hasMessage("unknown priority 'urgent', expected high, medium or low");
        assertThatThrownBy(() -> ModelSpec.parse("=c.json")).hasMessageContaining("is not [NAME=]FILE[:FIELD...]");
        assertThatThrownBy(() -> ModelSpec.parse("llama=c.json:kv=")).hasMessage("model 'llama=c.json:kv=': empty field 'kv='");
    }

    @Test
    void kvFloorsInTokensUseTheModelsCacheAndInBytesAreTakenAsIs() {
        KvCache llama = new KvCache(ModelConfigs.shape(ModelConfigs.LLAMA_8B), 2, KvCache.DEFAULT_MAX_NUM_BATCHED_TOKENS);

        assertThat(KvFloor.parse("8192x4").bytes(llama)).isEqualTo(4L * 8192 * 131_072);
        // Sequences are held in whole blocks of 16 tokens.
        assertThat(KvFloor.parse("1000x1").bytes(llama)).isEqualTo(1008L * 131_072);
        assertThat(KvFloor.parse("4GiB").bytes(llama)).isEqualTo(4L << 30);
        assertThat(KvFloor.parse("1.5GiB").bytes(llama)).isEqualTo(3L << 29);
        assertThat(KvFloor.parse("512MiB").bytes(llama)).isEqualTo(512L << 20);
        assertThat(KvFloor.parse("123456").bytes(llama)).isEqualTo(123_456);
        assertThat(KvFloor.parse("8192x4").describe()).isEqualTo("8192 tokens x 4");
    }

    @Test
    void badKvFloorsSayWhatIsAccepted() {
        assertThatThrownBy(() -> KvFloor.parse("8k"))
                .hasMessage("KV floor '8k' is not TOKENSxSEQUENCES (e.g. 8192x4), a size in GiB or MiB (e.g. 4GiB) or "
                        + "a byte count");
        assertThatThrownBy(() -> KvFloor.parse("0x4")).hasMessageStartingWith("KV floor '0x4': a KV floor is");
        assertThatThrownBy(() -> KvFloor.parse("-5")).hasMessageStartingWith("KV floor '-5': a KV floor is");
    }
}
