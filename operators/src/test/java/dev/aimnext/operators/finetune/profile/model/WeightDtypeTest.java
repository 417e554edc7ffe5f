package dev.aimnext.operators.finetune.profile.model;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WeightDtypeTest {

    @Test
    void wholeByteFormatsCostTheirWidth() {
        assertThat(WeightDtype.FP32.bytes(1_000)).isEqualTo(4_000);
        assertThat(WeightDtype.BF16.bytes(8_030_261_248L)).isEqualTo(16_060_522_496L);
        assertThat(WeightDtype.FP16.bytes(1_000)).isEqualTo(2_000);
        assertThat(WeightDtype.FP8.bytes(1_000)).isEqualTo(1_000);
        assertThat(WeightDtype.INT8.bytes(1_000)).isEqualTo(1_000);
    }

    @Test
    void nf4WithoutDoubleQuantAddsOneFp32AbsmaxPer64Weights() {
        assertThat(WeightDtype.nf4Bytes(64, false)).isEqualTo(32 + 4);
        // 4.5 bits per weight
        assertThat(WeightDtype.nf4Bytes(1_000_000, false)).isEqualTo(500_000 + 15_625 * 4);
    }

    @Test
    void nf4WithDoubleQuantStoresEightBitConstantsAndOneFp32Per256OfThem() {
        // 64·256 weights: 8192 packed bytes, 256 one-byte constants, one fp32 second-level absmax.
        assertThat(WeightDtype.nf4Bytes(64 * 256, true)).isEqualTo(8192 + 256 + 4);
        assertThat(WeightDtype.NF4.bytes(1_000_000)).isEqualTo(500_000 + 15_625 + 62 * 4);
        double bitsPerWeight = WeightDtype.NF4.bytes(1L << 30) * 8.0 / (1L << 30);
        assertThat(bitsPerWeight).isBetween(4.126, 4.128);
    }

    @Test
    void parsesShortAndTorchNames() {
        assertThat(WeightDtype.parse("bf16")).isEqualTo(WeightDtype.BF16);
        assertThat(WeightDtype.parse("bfloat16")).isEqualTo(WeightDtype.BF16);
        assertThat(WeightDtype.parse("FP32")).isEqualTo(WeightDtype.FP32);
        assertThatThrownBy(() -> WeightDtype.parse("fp64"))
                .hasMessage("unknown dtype 'fp64'; expected one of fp32, bf16, fp16, fp8, int8, nf4");
    }
}
