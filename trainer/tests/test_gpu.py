"""The trainer on a real GPU: skipped without one (this repository's CI has none).

Run where torch sees a GPU and Transformers and PEFT are installed (the trainer image on an MI300X,
or any CUDA machine): ``cd trainer && python3 -m unittest tests.test_gpu -v``.
"""

import io
import json
import os
import unittest

from aim_trainer import checkpoints
from aim_trainer.config import from_dict
from aim_trainer.events import EventWriter
from aim_trainer.loop import TrainingLoop
from aim_trainer.pause import PauseRequest
from tests.fakes import TempRun, config_dict
from tests.optional import needs
from tests.test_torch_backend import packed_parquet, tiny_llama


def _gpu():
    try:
        import torch
        return torch.cuda.is_available()
    except ImportError:
        return False


@needs("torch", "transformers", "peft", "safetensors", "pyarrow", "tokenizers")
@unittest.skipUnless(_gpu(), "needs a GPU that torch can see")
class GpuRunTest(unittest.TestCase):

    def setUp(self):
        self.tmp = TempRun().__enter__()
        self.addCleanup(self.tmp.__exit__)
        tiny_llama(os.path.join(self.tmp.data_dir, "model"))
        packed_parquet(os.path.join(self.tmp.data_dir, "train.parquet"), 40, seed=1)
        packed_parquet(os.path.join(self.tmp.data_dir, "eval.parquet"), 8, seed=2)

    def attempt(self, run, pause_after=None, resume_from=None):
        from aim_trainer.train import create_model
        raw = config_dict(os.path.join(self.tmp.root, run), self.tmp.data_dir, resume_from=resume_from)
        raw["hyperparameters"].update(bf16=True, learning_rate=1e-3)
        raw["lora"] = {"rank": 8, "alpha": 16, "dropout": 0.1, "target_modules": ["q_proj", "k_proj", "v_proj", "o_proj"]}
        config = from_dict(raw)
        model = create_model(config, merge_weights=resume_from is not None)
        pause = PauseRequest()
        if pause_after is not None:
            inner, calls = model.train_step, []

            def counting(micro_batches):
                calls.append(1)
                if len(calls) == pause_after:
                    pause.request("test")
                return inner(micro_batches)
            model.train_step = counting
        out = io.StringIO()
        code = TrainingLoop(config, model, EventWriter(config.run_id, config.run_dir, out=out), pause).run()
        return code, [json.loads(x) for x in out.getvalue().splitlines()]

    def test_bf16_lora_on_the_gpu_pauses_resumes_and_merges(self):
        code, straight = self.attempt("straight")
        self.assertEqual(0, code)
        steps = [e for e in straight if e["aim_event"] == "STEP"]
        self.assertTrue(all(e["gpu_memory_bytes"] and e["gpu_memory_bytes"] > 0 for e in steps), steps[:1])
        self.assertTrue(all(e["tokens_per_sec"] and e["tokens_per_sec"] > 0 for e in steps[1:]), steps[:2])
        print("\nGPU straight run:", [(e["step"], round(e["loss"], 4)) for e in steps], flush=True)

        code, _ = self.attempt("paused", pause_after=7)
        self.assertEqual(75, code)
        code, resumed = self.attempt("paused", resume_from=checkpoints.folder_for(os.path.join(self.tmp.root,
                                                                                               "paused"), 7))
        self.assertEqual(0, code)
        again = {e["step"]: e["loss"] for e in resumed if e["aim_event"] == "STEP"}
        print("GPU resumed run:", sorted((s, round(v, 4)) for s, v in again.items()), flush=True)
        for e in steps:
            if e["step"] in again:  # GPU kernels need not be bit-reproducible; the data and states are
                self.assertAlmostEqual(e["loss"], again[e["step"]], delta=2e-2 * abs(e["loss"]))
        merged = os.path.join(self.tmp.root, "paused", "final", "merged")
        self.assertTrue(os.path.isfile(os.path.join(merged, "config.json")))
        self.assertTrue(any(n.endswith(".safetensors") for n in os.listdir(merged)))


if __name__ == "__main__":
    unittest.main()
