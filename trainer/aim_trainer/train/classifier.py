"""Guardrail classifiers (task ``sequence_classification``): BERT-family encoders, full or LoRA.

The base model folder holds config.json and the tokenizer, plus either Hugging Face weights or only
an ONNX export (how guardrail models are deployed here); from ONNX the encoder weights are imported
and checked against ONNX Runtime, and the classification head starts fresh. The final output is the
adapter or model and ``onnx/model.onnx`` with its tokenizer and config, ready for the guardrail job.
"""

from __future__ import annotations

import copy
import glob
import os
import sys

from ..config import TrainerConfig
from ..loop import StepResult
from . import data, modeling, onnx_weights, runtime

ONNX_DIR = "onnx"


class ClassifierModel:

    def __init__(self, config: TrainerConfig, merge_weights: bool):
        self.config = config
        self.merge_weights = merge_weights
        self.device = runtime.device()

    def load_data(self) -> int:
        from transformers import AutoConfig, AutoTokenizer
        c = self.config
        self.tokenizer = AutoTokenizer.from_pretrained(c.base_model.path)
        self.train_rows = data.read_classification_jsonl(c.dataset.train)
        self.eval_rows = data.read_classification_jsonl(c.dataset.eval) if c.dataset.eval else []
        self.labels = _label_names(AutoConfig.from_pretrained(c.base_model.path), self.train_rows)
        index = {label: i for i, label in enumerate(self.labels)}
        unknown = sorted({str(label) for _, label in self.eval_rows if label not in index})
        if unknown:
            raise ValueError(f"eval labels not in the train split: {', '.join(unknown[:5])}")
        self.label_ids = index
        return len(self.train_rows)

    def has_eval(self) -> bool:
        return len(self.eval_rows) > 0

    def build(self, total_steps: int, resume_dir: str | None) -> None:
        from transformers import AutoConfig, AutoModelForSequenceClassification
        c = self.config
        hf_config = AutoConfig.from_pretrained(
            c.base_model.path, num_labels=len(self.labels), id2label={i: str(n) for i, n in enumerate(self.labels)},
            label2id={str(n): i for i, n in enumerate(self.labels)})
        fresh_pooler = False
        if c.method == "full" and resume_dir:
            model = AutoModelForSequenceClassification.from_pretrained(os.path.join(resume_dir, modeling.MODEL_DIR))
        elif _has_hf_weights(c.base_model.path):
            model = AutoModelForSequenceClassification.from_pretrained(c.base_model.path, config=hf_config,
                                                                       ignore_mismatched_sizes=True)
        else:
            model, fresh_pooler = self._from_onnx(hf_config)
        model.to(self.device)
        if c.hyperparameters.gradient_checkpointing:
            model.gradient_checkpointing_enable(gradient_checkpointing_kwargs={"use_reentrant": False})
            if c.method == "lora":
                model.enable_input_require_grads()  # frozen embeddings would cut the checkpointed graph
        if c.method == "lora":
            # The head is new, so it trains in full next to the adapters (and the pooler when ONNX lacked it).
            keep = ["classifier"] + (["pooler"] if fresh_pooler else [])
            model = modeling.with_lora(model, c, task_type="SEQ_CLS", modules_to_save=keep)
            if resume_dir:
                modeling.load_adapter_weights(model, resume_dir)
        self.model = model
        self.parameters = [p for p in model.parameters() if p.requires_grad]
        self.optimizer, self.scheduler = runtime.optimizer_and_scheduler(self.parameters, c.hyperparameters, total_steps)
        if resume_dir:
            runtime.load_training_state(resume_dir, self.optimizer, self.scheduler)

    def _from_onnx(self, hf_config):
        from transformers import AutoModelForSequenceClassification
        path = onnx_weights.find_onnx(self.config.base_model.path)
        if path is None:
            raise ValueError(f"{self.config.base_model.path}: neither Hugging Face weights nor an .onnx file")
        if hf_config.model_type != "bert":
            raise ValueError(f"ONNX import maps BertModel parameters; model_type {hf_config.model_type} needs "
                             f"Hugging Face weights in {self.config.base_model.path}")
        model = AutoModelForSequenceClassification.from_config(hf_config)
        left = onnx_weights.load_into_bert(model.bert, path)
        cosine = onnx_weights.verify_against_onnxruntime(model.bert, path, self.tokenizer)
        print(f"aim_trainer: imported {os.path.basename(path)} into {type(model).__name__}; mean-pooled cosine vs "
              f"ONNX Runtime >= {cosine:.4f}" + (f"; initialised fresh: {', '.join(left)}" if left else ""),
              file=sys.stderr, flush=True)
        return model, bool(left)

    def train_step(self, micro_batches: list[list[int]]) -> StepResult:
        self.model.train()
        examples = sum(len(mb) for mb in micro_batches)
        loss_sum, tokens = 0.0, 0
        for mb in micro_batches:
            summed, count = self._loss_sum([self.train_rows[i] for i in mb])
            (summed / examples).backward()
            loss_sum += float(summed.detach())
            tokens += count
        grad_norm, lr = runtime.clip_and_step(self.parameters, self.optimizer, self.scheduler)
        return StepResult(loss=loss_sum / examples, learning_rate=lr, grad_norm=grad_norm, tokens=tokens)

    def evaluate(self) -> float:
        import torch
        self.model.eval()
        size = self.config.hyperparameters.micro_batch_size
        total = 0.0
        with torch.no_grad():
            for start in range(0, len(self.eval_rows), size):
                total += float(self._loss_sum(self.eval_rows[start:start + size])[0])
        self.model.train()
        return total / len(self.eval_rows)

    def save_checkpoint(self, folder: str) -> None:
        modeling.save_weights(self.model, folder, self.config.method)
        runtime.save_training_state(folder, self.optimizer, self.scheduler)

    def save_final(self, folder: str) -> None:
        modeling.save_weights(self.model, folder, self.config.method)
        plain = self.model
        if self.config.method == "lora":
            plain = copy.deepcopy(self.model).merge_and_unload()
            if self.merge_weights:
                plain.save_pretrained(os.path.join(folder, modeling.MERGED_DIR))
        onnx_dir = os.path.join(folder, ONNX_DIR)
        os.makedirs(onnx_dir)
        onnx_weights.export_classifier(copy.deepcopy(plain), self.tokenizer, os.path.join(onnx_dir, "model.onnx"),
                                       self.config.hyperparameters.max_seq_len)
        plain.config.save_pretrained(onnx_dir)
        self.tokenizer.save_pretrained(onnx_dir)

    def gpu_memory_bytes(self) -> int | None:
        return runtime.gpu_memory_bytes()

    def _loss_sum(self, rows):
        import torch
        import torch.nn.functional as F
        texts = [text for text, _ in rows]
        encoded = self.tokenizer(texts, padding=True, truncation=True,
                                 max_length=self.config.hyperparameters.max_seq_len, return_tensors="pt")
        encoded = {k: v.to(self.device) for k, v in encoded.items()}
        labels = torch.tensor([self.label_ids[label] for _, label in rows], device=self.device)
        logits = self.model(**encoded).logits
        return F.cross_entropy(logits.float(), labels, reduction="sum"), int(encoded["attention_mask"].sum())


def _has_hf_weights(path: str) -> bool:
    return any(glob.glob(os.path.join(path, pattern)) for pattern in ("*.safetensors", "pytorch_model*.bin"))


def _label_names(hf_config, train_rows) -> list:
    """The base config's labels when it names them (a classifier being refined), else the train split's."""
    named = [hf_config.id2label[i] for i in sorted(hf_config.id2label)] if getattr(hf_config, "id2label", None) else []
    seen = {label for _, label in train_rows}
    if named and not all(n.startswith("LABEL_") for n in named) and {str(s) for s in seen} <= set(named):
        lookup = {str(s): s for s in seen}
        return [lookup.get(n, n) for n in named]
    return sorted(seen, key=lambda v: (isinstance(v, str), v))
