"""Causal LM fine-tuning (task ``causal_lm``): the StepModel the loop drives.

The loss of a step is the mean over every trained token of all its micro-batches, not a mean of
per-micro-batch means: packed rows hold very different numbers of assistant tokens, and averaging
averages would weight a token in a short micro-batch more than one in a long one.
"""

from __future__ import annotations

import os

from .. import packing
from ..config import TrainerConfig
from ..loop import StepResult
from . import data, modeling, runtime


class CausalLmModel:

    def __init__(self, config: TrainerConfig, merge_weights: bool):
        self.config = config
        self.merge_weights = merge_weights
        self.device = runtime.device()
        self.model = self.optimizer = self.scheduler = None

    def load_data(self) -> int:
        from transformers import AutoTokenizer
        c = self.config
        self.tokenizer = AutoTokenizer.from_pretrained(c.base_model.path)
        pad = self.tokenizer.pad_token_id
        self.pad_id = pad if pad is not None else (self.tokenizer.eos_token_id or 0)
        self.train_rows = self._read(c.dataset.train)
        self.eval_rows = self._read(c.dataset.eval) if c.dataset.eval else []
        return len(self.train_rows)

    def _read(self, path: str):
        max_len = self.config.hyperparameters.max_seq_len
        if self.config.dataset.format == "tokenized_parquet":
            return data.TokenizedParquet(path, max_len)
        return data.read_chat_jsonl(path, self.tokenizer, max_len)

    def has_eval(self) -> bool:
        return len(self.eval_rows) > 0

    def build(self, total_steps: int, resume_dir: str | None) -> None:
        self.model = modeling.load_causal_lm(self.config, resume_dir)
        if resume_dir and self.config.method != "full":
            modeling.load_adapter_weights(self.model, resume_dir)
        self.flatten = modeling.attention_implementation() == "flash_attention_2"
        self.parameters = [p for p in self.model.parameters() if p.requires_grad]
        self.optimizer, self.scheduler = runtime.optimizer_and_scheduler(
            self.parameters, self.config.hyperparameters, total_steps)
        if resume_dir:
            runtime.load_training_state(resume_dir, self.optimizer, self.scheduler)

    def train_step(self, micro_batches: list[list[int]]) -> StepResult:
        self.model.train()
        batches = [self._batch([self.train_rows[i] for i in mb]) for mb in micro_batches]
        trained = sum(packing.trained_tokens(b["labels_list"]) for b in batches)
        loss_sum, tokens = 0.0, 0
        for batch in batches:
            summed = self._loss_sum(batch)
            if trained:
                (summed / trained).backward()
            loss_sum += float(summed.detach())
            tokens += batch["tokens"]
        grad_norm, lr = runtime.clip_and_step(self.parameters, self.optimizer, self.scheduler)
        return StepResult(loss=loss_sum / max(trained, 1), learning_rate=lr, grad_norm=grad_norm, tokens=tokens)

    def evaluate(self) -> float:
        import torch
        self.model.eval()
        size = self.config.hyperparameters.micro_batch_size
        loss_sum, trained = 0.0, 0
        with torch.no_grad():
            for start in range(0, len(self.eval_rows), size):
                batch = self._batch([self.eval_rows[i] for i in range(start, min(start + size, len(self.eval_rows)))])
                loss_sum += float(self._loss_sum(batch))
                trained += packing.trained_tokens(batch["labels_list"])
        self.model.train()
        return loss_sum / max(trained, 1)

    def save_checkpoint(self, folder: str) -> None:
        modeling.save_weights(self.model, folder, self.config.method)
        runtime.save_training_state(folder, self.optimizer, self.scheduler)

    def save_final(self, folder: str) -> None:
        modeling.save_weights(self.model, folder, self.config.method)
        if self.config.method == "full":
            self.tokenizer.save_pretrained(os.path.join(folder, modeling.MODEL_DIR))
        elif self.merge_weights:
            modeling.save_merged_causal_lm(self.config, os.path.join(folder, modeling.ADAPTER_DIR), self.tokenizer,
                                           folder)

    def gpu_memory_bytes(self) -> int | None:
        return runtime.gpu_memory_bytes()

    def _batch(self, rows) -> dict:
        """Tensors for one micro-batch, flattened for FlashAttention-2 or padded with a packed mask for SDPA."""
        import torch
        if self.flatten:
            flat = packing.flatten(rows)
            lists = {k: [flat[k]] for k in ("input_ids", "labels", "position_ids")}
            mask = None
        else:
            lists = packing.padded(rows, self.pad_id)
            segments = torch.tensor(lists.pop("segment_ids"), device=self.device)
            mask = modeling.packed_attention_mask(segments)
        batch = {k: torch.tensor(v, dtype=torch.long, device=self.device) for k, v in lists.items()}
        batch["attention_mask"] = mask
        batch["labels_list"] = lists["labels"]
        batch["tokens"] = sum(len(r.input_ids) for r in rows)
        return batch

    def _loss_sum(self, batch):
        """Summed next-token cross-entropy over the trained tokens (labels shifted by one)."""
        import torch.nn.functional as F
        inputs = {"input_ids": batch["input_ids"], "position_ids": batch["position_ids"]}
        if batch["attention_mask"] is not None:
            inputs["attention_mask"] = batch["attention_mask"]
        logits = self.model(**inputs).logits
        labels = batch["labels"]
        return F.cross_entropy(logits[:, :-1].flatten(0, 1).float(), labels[:, 1:].flatten(),
                               ignore_index=packing.IGNORE_INDEX, reduction="sum")
