"""A small, real StepModel in pure Python, and config helpers, for the loop and CLI tests.

The fake fits a linear model with momentum SGD and adds "dropout" noise from Python's global random
generator, whose state it saves in ``rng_state.pth`` like the torch backend does. So a resumed run
reproduces the uninterrupted one only if the loop restored the data position, the optimizer and
scheduler states and the generator exactly; any slip changes the losses.
"""

from __future__ import annotations

import json
import os
import random
import tempfile
import time

from aim_trainer.loop import StepResult

DIM = 4


class FakeModel:
    def __init__(self, config, merge_weights=False, rows=23, eval_rows=5, block_at_step=None, fail_at_step=None,
                 nan_at_step=None, eval_losses=None):
        self.config = config
        self.merge_weights = merge_weights
        self.rows, self.eval_rows = rows, eval_rows
        self.block_at_step, self.fail_at_step, self.nan_at_step = block_at_step, fail_at_step, nan_at_step
        self.eval_losses = eval_losses  # step -> loss, to script which checkpoint is the best
        self.steps_run = []  # (step, row indices) of this attempt
        self.built_with = None

    # -- StepModel -----------------------------------------------------------------------------
    def load_data(self):
        data = random.Random(7)
        truth = [data.uniform(-1, 1) for _ in range(DIM)]
        self.train = [self._sample(data, truth) for _ in range(self.rows)]
        self.eval = [self._sample(data, truth) for _ in range(self.eval_rows)]
        return self.rows

    def has_eval(self):
        return self.eval_rows > 0

    def build(self, total_steps, resume_dir):
        self.total_steps = total_steps
        self.built_with = resume_dir
        # Initial weights from the seeded global generator, like LoRA's initialisation from torch's.
        self.w = [random.uniform(-0.1, 0.1) for _ in range(DIM)]
        self.momentum = [0.0] * DIM
        self.scheduler_step = 0
        if resume_dir:
            self.w = _read(resume_dir, "adapter/adapter_model.safetensors")["w"]
            self.momentum = _read(resume_dir, "optimizer.pt")["momentum"]
            self.scheduler_step = _read(resume_dir, "scheduler.pt")["step"]
            state = _read(resume_dir, "rng_state.pth")["python"]
            random.setstate((state[0], tuple(state[1]), state[2]))

    def train_step(self, micro_batches):
        step = self.scheduler_step + 1
        self.steps_run.append((step, [i for mb in micro_batches for i in mb]))
        if self.block_at_step == step:
            self._block()
        if self.fail_at_step == step:
            raise RuntimeError(f"fake crash at step {step}")
        lr = self.config.hyperparameters.learning_rate * (1 - self.scheduler_step / self.total_steps)
        grad, loss, count = [0.0] * DIM, 0.0, 0
        for mb in micro_batches:
            for i in mb:
                x, y = self.train[i]
                keep = [0.0 if random.random() < 0.1 else 1.0 for _ in range(DIM)]  # dropout
                err = sum(w * k * xi for w, k, xi in zip(self.w, keep, x)) - y
                loss += err * err
                count += 1
                for d in range(DIM):
                    grad[d] += 2 * err * keep[d] * x[d]
        for d in range(DIM):
            self.momentum[d] = 0.9 * self.momentum[d] + grad[d] / count
            self.w[d] -= lr * self.momentum[d]
        self.scheduler_step += 1
        loss = loss / count
        if self.nan_at_step == step:
            loss = float("nan")
        return StepResult(loss=loss, learning_rate=lr, grad_norm=sum(g * g for g in grad) ** 0.5, tokens=count * 10)

    def evaluate(self):
        if self.eval_losses:
            return self.eval_losses[self.scheduler_step]
        return sum((sum(w * xi for w, xi in zip(self.w, x)) - y) ** 2 for x, y in self.eval) / len(self.eval)

    def save_checkpoint(self, folder):
        os.makedirs(os.path.join(folder, "adapter"))
        _write(folder, "adapter/adapter_model.safetensors", {"w": self.w})
        _write(folder, "adapter/adapter_config.json", {"r": 4})
        _write(folder, "optimizer.pt", {"momentum": self.momentum})
        _write(folder, "scheduler.pt", {"step": self.scheduler_step})
        _write(folder, "rng_state.pth", {"python": random.getstate()})

    def save_final(self, folder):
        os.makedirs(os.path.join(folder, "adapter"))
        _write(folder, "adapter/adapter_model.safetensors", {"w": self.w})
        if self.merge_weights:
            os.makedirs(os.path.join(folder, "merged"))
            _write(folder, "merged/model.safetensors", {"w": self.w})

    def gpu_memory_bytes(self):
        return None

    # -- helpers -------------------------------------------------------------------------------
    @staticmethod
    def _sample(data, truth):
        x = [data.uniform(-1, 1) for _ in range(DIM)]
        return x, sum(t * xi for t, xi in zip(truth, x))

    def _block(self):
        """Tells the test it got here, then waits until the test says go (after its SIGTERM)."""
        run_dir = self.config.run_dir
        open(os.path.join(run_dir, "fake-blocked"), "w").close()
        while not os.path.exists(os.path.join(run_dir, "fake-go")):
            time.sleep(0.01)


def _write(folder, rel, value):
    with open(os.path.join(folder, rel), "w", encoding="utf-8") as f:
        json.dump(value, f)


def _read(folder, rel):
    with open(os.path.join(folder, rel), encoding="utf-8") as f:
        return json.load(f)


def config_dict(run_dir, data_dir, **overrides):
    """A valid config (protocol section 1) whose paths exist; ``overrides`` replace top-level keys."""
    train = os.path.join(data_dir, "train.parquet")
    evalf = os.path.join(data_dir, "eval.parquet")
    model = os.path.join(data_dir, "model")
    os.makedirs(model, exist_ok=True)
    for f in (train, evalf):
        if not os.path.exists(f):
            open(f, "wb").close()
    config = {
        "run_id": "fake-run-1",
        "task": "causal_lm",
        "base_model": {"model_id": "meta-llama/Llama-3.1-8B-Instruct", "path": model, "model_type": "llama"},
        "method": "lora",
        "dataset": {"train": train, "eval": evalf, "format": "tokenized_parquet", "content_hash": "sha256:00"},
        "hyperparameters": {"learning_rate": 0.05, "epochs": 2, "micro_batch_size": 2,
                            "gradient_accumulation_steps": 2, "max_seq_len": 128, "warmup_ratio": 0.03,
                            "lr_scheduler": "cosine", "weight_decay": 0.0, "gradient_checkpointing": True,
                            "seed": 42, "bf16": True, "max_steps": None},
        "lora": {"rank": 16, "alpha": 32, "dropout": 0.05, "target_modules": ["q_proj", "k_proj", "v_proj", "o_proj"]},
        "qlora": None,
        "run_dir": run_dir,
        "resume_from": None,
        "checkpoint": {"every_steps": 3, "keep_last": 2, "keep_best": True},
        "eval_every_steps": 4,
        "log_every_steps": 2,
    }
    config.update(overrides)
    return config


class TempRun:
    """A temporary folder with ``run/`` and ``data/`` below it."""

    def __enter__(self):
        self._tmp = tempfile.TemporaryDirectory(prefix="aim-trainer-test-")
        self.root = self._tmp.name
        self.run_dir = os.path.join(self.root, "run")
        self.data_dir = os.path.join(self.root, "data")
        os.makedirs(self.data_dir)
        return self

    def __exit__(self, *exc):
        self._tmp.cleanup()

    def write_config(self, name="trainer-config.json", **overrides):
        path = os.path.join(self.root, name)
        with open(path, "w", encoding="utf-8") as f:
            json.dump(config_dict(self.run_dir, self.data_dir, **overrides), f)
        return path
