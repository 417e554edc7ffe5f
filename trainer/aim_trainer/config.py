"""The trainer config of docs/FINETUNE-PROTOCOL.md section 1, read strictly.

Every key is required (optional values are written as ``null``), unknown keys are errors, and all
problems are collected before anything is reported, so one run of the trainer lists every typo in a
hand-edited config instead of one per attempt. The driver maps exit code 2 to FAILED without retry.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from . import lora_targets
from .json_fields import FieldReader, no_constants, no_duplicates

TASKS = ("causal_lm", "sequence_classification")
METHODS = ("lora", "qlora", "full")
FORMATS = ("tokenized_parquet", "jsonl", "classification_jsonl")
SCHEDULERS = ("cosine", "linear", "constant")
QUANT_TYPES = ("nf4", "fp4")
COMPUTE_DTYPES = ("bfloat16", "float16", "float32")

# Which dataset formats each task can train on.
_TASK_FORMATS = {
    "causal_lm": ("tokenized_parquet", "jsonl"),
    "sequence_classification": ("classification_jsonl",),
}


class ConfigError(Exception):
    """The config breaks the protocol; ``errors`` lists every problem as ``path: what``."""

    def __init__(self, errors: list[str]):
        super().__init__(f"{len(errors)} error(s) in the trainer config:\n" + "\n".join(f"  - {e}" for e in errors))
        self.errors = list(errors)


@dataclass(frozen=True)
class BaseModel:
    model_id: str
    path: str
    model_type: str


@dataclass(frozen=True)
class Dataset:
    train: str
    eval: str | None
    format: str
    content_hash: str | None


@dataclass(frozen=True)
class Hyperparameters:
    learning_rate: float
    epochs: int
    micro_batch_size: int
    gradient_accumulation_steps: int
    max_seq_len: int
    warmup_ratio: float
    lr_scheduler: str
    weight_decay: float
    gradient_checkpointing: bool
    seed: int
    bf16: bool
    max_steps: int | None

    @property
    def samples_per_step(self) -> int:
        """Samples (rows) one optimizer step consumes on one GPU."""
        return self.micro_batch_size * self.gradient_accumulation_steps


@dataclass(frozen=True)
class Lora:
    rank: int
    alpha: float
    dropout: float
    target_modules: tuple[str, ...]


@dataclass(frozen=True)
class Qlora:
    quant_type: str
    double_quant: bool
    compute_dtype: str


@dataclass(frozen=True)
class CheckpointPolicy:
    every_steps: int
    keep_last: int
    keep_best: bool


@dataclass(frozen=True)
class TrainerConfig:
    run_id: str
    task: str
    base_model: BaseModel
    method: str
    dataset: Dataset
    hyperparameters: Hyperparameters
    lora: Lora | None
    qlora: Qlora | None
    run_dir: str
    resume_from: str | None
    checkpoint: CheckpointPolicy
    eval_every_steps: int
    log_every_steps: int


def load_config(path: str) -> TrainerConfig:
    """Reads and checks a config file; raises :class:`ConfigError` on any problem, I/O included."""
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except OSError as e:
        raise ConfigError([f"{path}: cannot read: {e.strerror or e}"]) from e
    return parse_config(text)


def parse_config(text: str) -> TrainerConfig:
    """Parses config JSON; raises :class:`ConfigError` listing every problem."""
    try:
        # Duplicate keys would let the last one win silently; the protocol treats typos as errors.
        raw = json.loads(text, object_pairs_hook=no_duplicates, parse_constant=no_constants)
    except ValueError as e:
        raise ConfigError([f"not valid JSON: {e}"]) from e
    return from_dict(raw)


def from_dict(raw: Any) -> TrainerConfig:
    """Checks an already decoded config object."""
    if not isinstance(raw, dict):
        raise ConfigError(["the config must be a JSON object"])
    r = FieldReader(raw, "", [])
    config = TrainerConfig(
        run_id=r.text("run_id", check=_run_id),
        task=r.choice("task", TASKS),
        base_model=r.section("base_model", nullable=False, build=lambda s: BaseModel(
            model_id=s.text("model_id"), path=s.text("path"), model_type=s.text("model_type"))),
        method=r.choice("method", METHODS),
        dataset=r.section("dataset", nullable=False, build=lambda s: Dataset(
            train=s.text("train"), eval=s.text("eval", nullable=True), format=s.choice("format", FORMATS),
            content_hash=s.text("content_hash", nullable=True))),
        hyperparameters=r.section("hyperparameters", nullable=False, build=_hyperparameters),
        lora=r.section("lora", nullable=True, build=lambda s: Lora(
            rank=s.integer("rank", 1, 4096), alpha=s.number("alpha", 0, 1e6, low_open=True),
            dropout=s.number("dropout", 0, 1, high_open=True),
            target_modules=tuple(s.strings("target_modules")))),
        qlora=r.section("qlora", nullable=True, build=lambda s: Qlora(
            quant_type=s.choice("quant_type", QUANT_TYPES), double_quant=s.boolean("double_quant"),
            compute_dtype=s.choice("compute_dtype", COMPUTE_DTYPES))),
        run_dir=r.text("run_dir"),
        resume_from=r.text("resume_from", nullable=True),
        checkpoint=r.section("checkpoint", nullable=False, build=lambda s: CheckpointPolicy(
            every_steps=s.integer("every_steps", 1, 10**9), keep_last=s.integer("keep_last", 1, 10**6),
            keep_best=s.boolean("keep_best"))),
        eval_every_steps=r.integer("eval_every_steps", 1, 10**9),
        log_every_steps=r.integer("log_every_steps", 1, 10**9),
    )
    r.finish()
    errors = r.errors + _cross_checks(config, r.failed)
    if errors:
        raise ConfigError(errors)
    return config


def _hyperparameters(s: FieldReader) -> Hyperparameters:
    return Hyperparameters(
        learning_rate=s.number("learning_rate", 0, 1, low_open=True),
        epochs=s.integer("epochs", 1, 10_000),
        micro_batch_size=s.integer("micro_batch_size", 1, 1 << 20),
        gradient_accumulation_steps=s.integer("gradient_accumulation_steps", 1, 1 << 20),
        max_seq_len=s.integer("max_seq_len", 1, 1 << 24),
        warmup_ratio=s.number("warmup_ratio", 0, 1, high_open=True),
        lr_scheduler=s.choice("lr_scheduler", SCHEDULERS),
        weight_decay=s.number("weight_decay", 0, 10),
        gradient_checkpointing=s.boolean("gradient_checkpointing"),
        seed=s.integer("seed", 0, 2**32 - 1),
        bf16=s.boolean("bf16"),
        max_steps=s.integer("max_steps", 1, 10**12, nullable=True),
    )


def _cross_checks(c: TrainerConfig, failed: set[str]) -> list[str]:
    """Rules between fields; a field that already failed is None and is not reported again."""
    errors = []
    if c.method in ("lora", "qlora") and c.lora is None and "lora" not in failed:
        errors.append(f"lora: required for method {c.method}")
    if c.method == "full" and c.lora is not None:
        errors.append("lora: must be null for method full (a full fine-tune trains every weight)")
    if c.method == "qlora" and c.qlora is None and "qlora" not in failed:
        errors.append("qlora: required for method qlora")
    if c.method in ("lora", "full") and c.qlora is not None:
        errors.append(f"qlora: must be null for method {c.method}")
    if c.task == "sequence_classification" and c.method == "qlora":
        errors.append("method: qlora is not supported for sequence_classification (use lora or full)")
    if c.task in _TASK_FORMATS and c.dataset is not None and c.dataset.format in FORMATS \
            and c.dataset.format not in _TASK_FORMATS[c.task]:
        errors.append(f"dataset.format: {c.dataset.format} cannot train task {c.task}; expected one of "
                      + ", ".join(_TASK_FORMATS[c.task]))
    if c.lora is not None and c.base_model is not None and c.base_model.model_type:
        problem = lora_targets.check(c.base_model.model_type, c.lora.target_modules)
        if problem:
            errors.append("lora.target_modules: " + problem)
    if c.dataset is not None and c.dataset.format == "tokenized_parquet" and c.dataset.train \
            and not c.dataset.train.endswith(".parquet"):
        errors.append(f"dataset.train: {c.dataset.train} does not end in .parquet for format tokenized_parquet")
    return errors


def _run_id(value: str) -> str | None:
    if "/" in value or value in (".", ".."):
        return "must not contain '/' (it names the run folder)"
    return None
