import unittest

from aim_trainer.onnx_names import Node, WeightSource, bert_parameter_names, canonical, map_bert


def linear(prefix, index, quantized=False):
    """The nodes torch.onnx.export (and ORT dynamic quantization) make for one nn.Linear."""
    w = f"onnx::MatMul_{index}"
    if not quantized:
        return [Node("MatMul", (f"x{index}", w), (f"mm{index}",)),
                Node("Add", (f"{prefix}.bias", f"mm{index}"), (f"y{index}",))], {w, f"{prefix}.bias"}
    q = [Node("DynamicQuantizeLinear", (f"x{index}",), (f"xq{index}", f"xs{index}", f"xz{index}")),
         Node("MatMulInteger", (f"xq{index}", w + "_quantized", f"xz{index}", w + "_zero_point"), (f"mi{index}",)),
         Node("Cast", (f"mi{index}",), (f"c{index}",), {"to": 1}),
         Node("Mul", (f"xs{index}", w + "_scale"), (f"s{index}",)),
         Node("Mul", (f"c{index}", f"s{index}"), (f"m{index}",)),
         Node("Add", (f"{prefix}.bias", f"m{index}"), (f"y{index}",))]
    return q, {w + "_quantized", w + "_scale", w + "_zero_point", f"{prefix}.bias"}


def bert_graph(num_layers, quantized=False, prefix="", pooler=True):
    nodes, inits, index = [], set(), 1000
    for emb in ("word_embeddings", "position_embeddings", "token_type_embeddings"):
        inits.add(f"{prefix}embeddings.{emb}.weight")
        nodes.append(Node("Gather", (f"{prefix}embeddings.{emb}.weight", "ids"), (f"{emb}_out",)))
    layer_norms = ["embeddings.LayerNorm"]
    for i in range(num_layers):
        for part in ("attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense",
                     "intermediate.dense", "output.dense"):
            n, s = linear(f"{prefix}encoder.layer.{i}.{part}", index, quantized)
            nodes += n
            inits |= s
            index += 1
        layer_norms += [f"encoder.layer.{i}.attention.output.LayerNorm", f"encoder.layer.{i}.output.LayerNorm"]
    for ln in layer_norms:
        inits |= {f"{prefix}{ln}.weight", f"{prefix}{ln}.bias"}
        nodes.append(Node("LayerNormalization", ("h", f"{prefix}{ln}.weight", f"{prefix}{ln}.bias"), ("o",)))
    if pooler:
        n, s = linear(f"{prefix}pooler.dense", index, quantized)
        nodes += n
        inits |= s
    return inits, nodes


class OnnxNamesTest(unittest.TestCase):

    def test_bert_parameter_names(self):
        names = bert_parameter_names(2)
        self.assertEqual(5 + 2 * 16 + 2, len(names))
        self.assertIn("encoder.layer.1.attention.self.query.weight", names)
        self.assertEqual("pooler.dense.bias", names[-1])

    def test_a_plain_torch_export_maps_completely_with_linear_weights_transposed(self):
        mapping = map_bert(*bert_graph(2), num_layers=2)
        self.assertEqual([], mapping.missing)
        self.assertEqual(WeightSource("onnx::MatMul_1000", transpose=True),
                         mapping.sources["encoder.layer.0.attention.self.query.weight"])
        self.assertEqual(WeightSource("encoder.layer.1.output.dense.bias"),
                         mapping.sources["encoder.layer.1.output.dense.bias"])
        self.assertEqual(WeightSource("embeddings.word_embeddings.weight"),
                         mapping.sources["embeddings.word_embeddings.weight"])
        self.assertFalse(mapping.sources["embeddings.LayerNorm.weight"].transpose)

    def test_dynamically_quantized_weights_are_found_through_the_dequantization_chain(self):
        mapping = map_bert(*bert_graph(1, quantized=True), num_layers=1)
        self.assertEqual([], mapping.missing)
        self.assertEqual(WeightSource("onnx::MatMul_1002_quantized", transpose=True, scale="onnx::MatMul_1002_scale",
                                      zero_point="onnx::MatMul_1002_zero_point"),
                         mapping.sources["encoder.layer.0.attention.self.value.weight"])

    def test_prefixed_names_and_a_missing_pooler(self):
        mapping = map_bert(*bert_graph(1, prefix="bert.", pooler=False), num_layers=1)
        self.assertEqual(["pooler.dense.weight", "pooler.dense.bias"], mapping.missing)
        self.assertEqual("bert.encoder.layer.0.intermediate.dense.bias",
                         mapping.sources["encoder.layer.0.intermediate.dense.bias"].initializer)

    def test_fused_or_qdq_and_gemm_forms(self):
        inits = {"embeddings.word_embeddings.weight_quantized", "embeddings.word_embeddings.weight_scale",
                 "embeddings.word_embeddings.weight_zero_point", "pooler.dense.weight", "pooler.dense.bias",
                 "W_q", "W_s", "W_z", "encoder.layer.0.output.dense.bias", "P_q", "P_s"}
        nodes = [
            Node("Gather", ("embeddings.word_embeddings.weight_quantized", "ids"), ("g",)),
            Node("Gemm", ("x", "pooler.dense.weight", "pooler.dense.bias"), ("p",), {"transB": 1}),
            Node("DynamicQuantizeMatMul", ("h", "W_q", "W_s", "W_z", "encoder.layer.0.output.dense.bias"), ("o",)),
            Node("DequantizeLinear", ("P_q", "P_s"), ("encoder.layer.0.attention.self.query.weight",), {"axis": 0}),
        ]
        sources = map_bert(inits, nodes, num_layers=1).sources
        self.assertEqual(WeightSource("embeddings.word_embeddings.weight_quantized",
                                      scale="embeddings.word_embeddings.weight_scale",
                                      zero_point="embeddings.word_embeddings.weight_zero_point"),
                         sources["embeddings.word_embeddings.weight"])
        self.assertEqual(WeightSource("pooler.dense.weight", transpose=False), sources["pooler.dense.weight"])
        self.assertEqual(WeightSource("W_q", transpose=True, scale="W_s", zero_point="W_z"),
                         sources["encoder.layer.0.output.dense.weight"])
        self.assertEqual(WeightSource("P_q", scale="P_s", axis=0),
                         sources["encoder.layer.0.attention.self.query.weight"])

    def test_canonical(self):
        self.assertEqual("encoder.layer.0.output.dense.bias", canonical("bert.encoder.layer.0.output.dense.bias"))
        self.assertEqual("onnx::MatMul_1", canonical("onnx::MatMul_1"))
        self.assertEqual("encoder.layer.0.output.dense.bias", canonical("model.bert.encoder.layer.0.output.dense.bias"))


if __name__ == "__main__":
    unittest.main()
