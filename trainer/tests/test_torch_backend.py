"""End-to-end runs of the real backends on tiny random models, on the CPU.

Skipped where torch, Transformers and PEFT are missing (this repository's CI); run them in the trainer
image or any environment with trainer/requirements.txt installed:
``cd trainer && python3 -m unittest tests.test_torch_backend -v``.
"""

import io
import json
import os
import unittest

from aim_trainer import checkpoints
from aim_trainer.cli import main
from aim_trainer.config import from_dict
from aim_trainer.events import EventWriter
from aim_trainer.loop import TrainingLoop
from aim_trainer.pause import PauseRequest
from tests.fakes import TempRun, config_dict
from tests.optional import needs

VOCAB = 64


def on_cpu(test):
    """Runs the backend on the CPU for the test: bit-identical resume needs deterministic kernels."""
    previous = os.environ.get("AIM_TRAINER_DEVICE")
    os.environ["AIM_TRAINER_DEVICE"] = "cpu"
    test.addCleanup(lambda: os.environ.pop("AIM_TRAINER_DEVICE") if previous is None
                    else os.environ.__setitem__("AIM_TRAINER_DEVICE", previous))


def randomized(model):
    """Every parameter drawn at random: fresh models have zero biases, which exporters fold away or share."""
    import torch
    with torch.no_grad():
        for p in model.parameters():
            p.normal_(0.0, 0.05)
    return model


def tiny_tokenizer(folder):
    from tokenizers import Tokenizer, models, pre_tokenizers
    from transformers import PreTrainedTokenizerFast
    vocab = {"<pad>": 0, "<s>": 1, "</s>": 2, "<unk>": 3, **{f"t{i}": i for i in range(4, VOCAB)}}
    core = Tokenizer(models.WordLevel(vocab, unk_token="<unk>"))
    core.pre_tokenizer = pre_tokenizers.Whitespace()
    PreTrainedTokenizerFast(tokenizer_object=core, pad_token="<pad>", bos_token="<s>", eos_token="</s>",
                            unk_token="<unk>").save_pretrained(folder)


def tiny_llama(folder):
    import torch
    from transformers import LlamaConfig, LlamaForCausalLM
    torch.manual_seed(0)
    config = LlamaConfig(vocab_size=VOCAB, hidden_size=32, intermediate_size=64, num_hidden_layers=2,
                         num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=128)
    LlamaForCausalLM(config).save_pretrained(folder)
    tiny_tokenizer(folder)


def packed_parquet(path, rows, seed):
    import random
    import pyarrow
    import pyarrow.parquet as pq
    rng = random.Random(seed)
    columns = {"split": [], "input_ids": [], "labels": [], "position_ids": [], "sequence_lengths": [], "sources": []}
    for r in range(rows):
        lengths = [rng.randint(3, 9) for _ in range(rng.randint(1, 3))]
        ids, labels, positions = [], [], []
        for length in lengths:
            seq = [1] + [rng.randint(4, VOCAB - 1) for _ in range(length - 1)]
            ids += seq
            labels += [-100] * (length // 2) + seq[length // 2:]  # "prompt" then "answer"
            positions += list(range(length))
        for name, value in (("split", "train"), ("input_ids", ids), ("labels", labels), ("position_ids", positions),
                            ("sequence_lengths", lengths), ("sources", [f"row#{r}.{i}" for i in range(len(lengths))])):
            columns[name].append(value)
    pq.write_table(pyarrow.table(columns), path)


@needs("torch")
class TorchPiecesTest(unittest.TestCase):
    """Parts of the torch side that need torch alone."""

    def test_packed_mask_keeps_conversations_apart(self):
        import torch
        from aim_trainer.train.modeling import packed_attention_mask
        mask = packed_attention_mask(torch.tensor([[0, 0, 1, 1, -1]]))
        self.assertEqual((1, 1, 5, 5), tuple(mask.shape))
        self.assertEqual([[1, 0, 0, 0, 0],
                          [1, 1, 0, 0, 0],
                          [0, 0, 1, 0, 0],
                          [0, 0, 1, 1, 0],
                          [0, 0, 0, 0, 1]], mask[0, 0].int().tolist())

    def test_generator_states_survive_a_save_and_weights_only_load(self):
        import random
        import tempfile
        import torch
        from aim_trainer.train import runtime
        if runtime.torch_version() < runtime.MIN_TORCH:
            self.skipTest(f"torch {torch.__version__} is older than the trainer supports")
        with tempfile.TemporaryDirectory() as d:
            model = torch.nn.Linear(3, 2)
            optimizer = torch.optim.AdamW(model.parameters(), lr=0.1)
            scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda step: 1.0 / (1 + step))
            model(torch.ones(1, 3)).sum().backward()
            optimizer.step()
            scheduler.step()
            random.seed(3)
            torch.manual_seed(3)
            runtime.save_training_state(d, optimizer, scheduler)
            expected = (random.random(), torch.rand(2).tolist())
            fresh = torch.optim.AdamW(model.parameters(), lr=0.1)
            fresh_scheduler = torch.optim.lr_scheduler.LambdaLR(fresh, lambda step: 1.0 / (1 + step))
            runtime.load_training_state(d, fresh, fresh_scheduler)
            self.assertEqual(expected, (random.random(), torch.rand(2).tolist()))
            self.assertEqual(scheduler.get_last_lr(), fresh_scheduler.get_last_lr())
            self.assertEqual(1.0, float(fresh.state_dict()["state"][0]["step"]))


@needs("torch", "transformers", "peft", "safetensors", "pyarrow", "tokenizers")
class CausalLmBackendTest(unittest.TestCase):

    def setUp(self):
        on_cpu(self)
        self.tmp = TempRun().__enter__()
        self.addCleanup(self.tmp.__exit__)
        tiny_llama(os.path.join(self.tmp.data_dir, "model"))
        packed_parquet(os.path.join(self.tmp.data_dir, "train.parquet"), 14, seed=1)
        packed_parquet(os.path.join(self.tmp.data_dir, "eval.parquet"), 4, seed=2)

    def raw(self, method="lora", run="run", **overrides):
        raw = config_dict(os.path.join(self.tmp.root, run), self.tmp.data_dir, method=method, **overrides)
        raw["hyperparameters"].update(bf16=False, learning_rate=1e-3)
        raw["lora"] = None if method == "full" else {"rank": 4, "alpha": 8, "dropout": 0.1,
                                                     "target_modules": ["q_proj", "v_proj"]}
        return raw

    def attempt(self, raw, pause_after=None):
        from aim_trainer.train import create_model
        config = from_dict(raw)
        model = create_model(config, merge_weights=False)
        pause = PauseRequest()
        if pause_after is not None:
            inner = model.train_step
            calls = []

            def counting(micro_batches):
                calls.append(1)
                if len(calls) == pause_after:
                    pause.request("test")
                return inner(micro_batches)
            model.train_step = counting
        out = io.StringIO()
        code = TrainingLoop(config, model, EventWriter(config.run_id, config.run_dir, out=out), pause).run()
        return code, [json.loads(x) for x in out.getvalue().splitlines()]

    def test_lora_run_through_the_cli_writes_the_protocol_layout(self):
        path = os.path.join(self.tmp.root, "config.json")
        with open(path, "w", encoding="utf-8") as f:
            json.dump(self.raw(), f)
        self.assertEqual(0, main(["--config", path]))
        run_dir = os.path.join(self.tmp.root, "run")
        for rel in ("final/adapter/adapter_model.safetensors", "final/adapter/adapter_config.json",
                    "checkpoint-8/optimizer.pt", "checkpoint-8/scheduler.pt", "checkpoint-8/rng_state.pth",
                    "checkpoint-8/adapter/adapter_model.safetensors"):
            self.assertTrue(os.path.isfile(os.path.join(run_dir, rel)), rel)
        self.assertIsNone(checkpoints.check(os.path.join(run_dir, "checkpoint-8"), 8))

    def test_a_paused_and_resumed_lora_run_ends_with_the_same_adapter(self):
        from safetensors.torch import load_file
        code, straight = self.attempt(self.raw(run="straight"))
        self.assertEqual(0, code)
        code, _ = self.attempt(self.raw(run="paused"), pause_after=5)
        self.assertEqual(75, code)
        resumed_from = checkpoints.folder_for(os.path.join(self.tmp.root, "paused"), 5)
        code, second = self.attempt(self.raw(run="paused", resume_from=resumed_from))
        self.assertEqual(0, code)
        losses = [(e["step"], e["loss"]) for e in straight if e["aim_event"] == "STEP"]
        self.assertEqual([x for x in losses if x[0] > 5], [(e["step"], e["loss"]) for e in second
                                                          if e["aim_event"] == "STEP"])
        a = load_file(os.path.join(self.tmp.root, "straight", "final", "adapter", "adapter_model.safetensors"))
        b = load_file(os.path.join(self.tmp.root, "paused", "final", "adapter", "adapter_model.safetensors"))
        self.assertEqual(sorted(a), sorted(b))
        for name in a:
            self.assertTrue(bool((a[name] == b[name]).all()), name)

    def test_full_fine_tuning_writes_model_weights(self):
        code, events = self.attempt(self.raw(method="full", run="full"))
        self.assertEqual(0, code)
        final = os.path.join(self.tmp.root, "full", "final", "model")
        self.assertTrue(os.path.isfile(os.path.join(final, "config.json")))
        self.assertTrue(os.path.isfile(os.path.join(final, "tokenizer.json")))
        evals = [e["eval_loss"] for e in events if e["aim_event"] == "EVAL"]
        self.assertTrue(evals and all(v > 0 for v in evals))


@needs("torch", "transformers", "peft", "safetensors", "tokenizers", "onnx", "onnxruntime")
class ClassifierBackendTest(unittest.TestCase):

    def setUp(self):
        on_cpu(self)

    def test_lora_classifier_exports_onnx(self):
        self.run_classifier(onnx_only=False)

    def test_full_classifier_from_an_onnx_only_base(self):
        """The base folder has config.json, the tokenizer and a quantized model.onnx, but no weights."""
        self.run_classifier(onnx_only=True, method="full")

    def run_classifier(self, onnx_only, method="lora"):
        import torch
        from transformers import BertConfig, BertModel
        from aim_trainer.train.onnx_weights import export_onnx
        with TempRun() as tmp:
            model_dir = os.path.join(tmp.data_dir, "model")
            torch.manual_seed(0)
            bert = randomized(BertModel(BertConfig(vocab_size=VOCAB, hidden_size=32, num_hidden_layers=2,
                                                   num_attention_heads=4, intermediate_size=64,
                                                   max_position_embeddings=64))).eval()
            if onnx_only:
                from onnxruntime.quantization import QuantType, quantize_dynamic
                os.makedirs(model_dir, exist_ok=True)
                bert.config.save_pretrained(model_dir)
                plain = os.path.join(tmp.root, "plain.onnx")
                ids = torch.randint(4, VOCAB, (2, 6))
                export_onnx(bert, (ids, torch.ones_like(ids)), plain, input_names=["input_ids", "attention_mask"],
                            output_names=["last_hidden_state"],
                            dynamic_axes={"input_ids": {0: "b", 1: "s"}, "attention_mask": {0: "b", 1: "s"}})
                quantize_dynamic(plain, os.path.join(model_dir, "model.onnx"), weight_type=QuantType.QInt8)
            else:
                bert.save_pretrained(model_dir)
            tiny_tokenizer(model_dir)
            for split, n in (("train.jsonl", 16), ("eval.jsonl", 4)):
                with open(os.path.join(tmp.data_dir, split), "w", encoding="utf-8") as f:
                    for i in range(n):
                        label = "injection" if i % 2 else "benign"
                        f.write(json.dumps({"text": f"t{4 + i % 7} t{10 + i % 5} t{20 + (i % 2)}", "label": label}) + "\n")
            raw = config_dict(tmp.run_dir, tmp.data_dir, task="sequence_classification", method=method)
            raw["dataset"].update(train=os.path.join(tmp.data_dir, "train.jsonl"),
                                  eval=os.path.join(tmp.data_dir, "eval.jsonl"), format="classification_jsonl")
            raw["base_model"]["model_type"] = "bert"
            raw["lora"] = None if method == "full" else {"rank": 4, "alpha": 8, "dropout": 0.0,
                                                         "target_modules": ["query", "value"]}
            raw["hyperparameters"].update(bf16=False, learning_rate=1e-3)
            path = os.path.join(tmp.root, "config.json")
            with open(path, "w", encoding="utf-8") as f:
                json.dump(raw, f)
            self.assertEqual(0, main(["--config", path]))
            onnx_dir = os.path.join(tmp.run_dir, "final", "onnx")
            self.assertTrue(os.path.isfile(os.path.join(onnx_dir, "model.onnx")))
            with open(os.path.join(onnx_dir, "config.json"), encoding="utf-8") as f:
                self.assertEqual({"0": "benign", "1": "injection"}, json.load(f)["id2label"])


if __name__ == "__main__":
    unittest.main()
