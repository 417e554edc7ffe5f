"""Event lines of docs/FINETUNE-PROTOCOL.md section 2: stdout and ``RUN_DIR/events.jsonl``.

The driver parses these strictly (an unknown field is a protocol error there), so the writer only
lets through exactly the fields the protocol lists for each kind. Metrics a trainer cannot measure
(GPU memory on a CPU run) are written as ``null``; the loss is always a number, NaN included, because
a diverged loss is something to report. Each line is flushed at once: the driver's stall detection
counts lines, and a buffered line is a line it has not seen.
"""

from __future__ import annotations

import json
import os
import sys
import time
from typing import Any, Callable, TextIO

COMMON = ("aim_event", "run_id", "step", "epoch", "emitted_at_ms")

# kind -> the fields besides COMMON, all written, in this order.
FIELDS: dict[str, tuple[str, ...]] = {
    "STARTED": ("message", "total_steps"),
    "STEP": ("loss", "learning_rate", "grad_norm", "tokens_per_sec", "gpu_memory_bytes", "eta_sec"),
    "EVAL": ("eval_loss",),
    "CHECKPOINT": ("checkpoint_path",),
    "COMPLETED": ("checkpoint_path",),
    "FAILED": ("message",),
}

# Fields that must hold a value: the driver rejects the event otherwise.
_REQUIRED = {"loss", "eval_loss", "checkpoint_path", "message"}
_COUNTS = {"total_steps", "gpu_memory_bytes"}

EVENTS_FILE = "events.jsonl"


class EventWriter:
    """Writes one JSON object per line, to ``out`` and appended to ``RUN_DIR/events.jsonl``."""

    def __init__(self, run_id: str, run_dir: str, out: TextIO | None = None,
                 clock: Callable[[], float] = time.time):
        self.run_id = run_id
        self.path = os.path.join(run_dir, EVENTS_FILE)
        self._out = out if out is not None else sys.stdout
        self._clock = clock
        os.makedirs(run_dir, exist_ok=True)

    def emit(self, kind: str, step: int, epoch: float, **fields: Any) -> dict[str, Any]:
        """Writes one event; raises ``ValueError`` for an unknown kind or a field it does not carry."""
        if kind not in FIELDS:
            raise ValueError(f"unknown event kind {kind}; expected one of {', '.join(FIELDS)}")
        expected = FIELDS[kind]
        extra = sorted(set(fields) - set(expected))
        missing = sorted(set(expected) - set(fields))
        if extra or missing:
            raise ValueError(f"{kind} takes exactly {', '.join(expected)}; extra {extra}, missing {missing}")
        event: dict[str, Any] = {
            "aim_event": kind,
            "run_id": self.run_id,
            "step": int(step),
            "epoch": float(epoch),
            "emitted_at_ms": int(self._clock() * 1000),
        }
        for name in expected:
            event[name] = _value(kind, name, fields[name])
        line = json.dumps(event, ensure_ascii=False)
        # events.jsonl first: when stdout is a closed pipe the record on disk still exists.
        with open(self.path, "a", encoding="utf-8") as f:
            f.write(line + "\n")
        self._out.write(line + "\n")
        self._out.flush()
        return event

    def started(self, step: int, epoch: float, message: str, total_steps: int) -> dict[str, Any]:
        return self.emit("STARTED", step, epoch, message=message, total_steps=total_steps)

    def step(self, step: int, epoch: float, loss: float, learning_rate: float | None, grad_norm: float | None,
             tokens_per_sec: float | None, gpu_memory_bytes: int | None, eta_sec: float | None) -> dict[str, Any]:
        return self.emit("STEP", step, epoch, loss=loss, learning_rate=learning_rate, grad_norm=grad_norm,
                         tokens_per_sec=tokens_per_sec, gpu_memory_bytes=gpu_memory_bytes, eta_sec=eta_sec)

    def evaluated(self, step: int, epoch: float, eval_loss: float) -> dict[str, Any]:
        return self.emit("EVAL", step, epoch, eval_loss=eval_loss)

    def checkpoint(self, step: int, epoch: float, checkpoint_path: str) -> dict[str, Any]:
        return self.emit("CHECKPOINT", step, epoch, checkpoint_path=checkpoint_path)

    def completed(self, step: int, epoch: float, checkpoint_path: str) -> dict[str, Any]:
        return self.emit("COMPLETED", step, epoch, checkpoint_path=checkpoint_path)

    def failed(self, step: int, epoch: float, message: str) -> dict[str, Any]:
        return self.emit("FAILED", step, epoch, message=message)


def _value(kind: str, name: str, value: Any) -> Any:
    if value is None:
        if name in _REQUIRED:
            raise ValueError(f"{kind} needs a value for {name}")
        return None
    if name in _COUNTS:
        return max(0, int(value))
    if name in ("checkpoint_path", "message"):
        return str(value)
    return float(value)
