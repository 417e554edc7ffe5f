"""The training loop: cadence of steps, events, evals and checkpoints, pause and resume.

It knows nothing about torch. A :class:`StepModel` does the numeric work (the Transformers/PEFT
backends in ``aim_trainer.train``, or a small fake in the tests), so everything the driver relies on
(events, checkpoint layout, exit codes, exact resume) is exercised by the stdlib tests.

Order within one step: train, STEP event (every ``log_every_steps``), eval (every
``eval_every_steps`` and at the end), checkpoint (every ``checkpoint.every_steps`` and at the end).
Eval before checkpoint, so a checkpoint is judged by the eval of its own step when both fall together.
"""

from __future__ import annotations

import math
import os
import shutil
import time
from dataclasses import dataclass
from typing import Callable, Protocol

from . import checkpoints, resume
from .checkpoints import TrainerState
from .config import TrainerConfig
from .events import EventWriter
from .pause import EXIT_PAUSED, PauseRequest
from .seeding import DataCursor, seed_everything, total_steps

EXIT_COMPLETED = 0
FINAL_DIR = "final"


@dataclass(frozen=True)
class StepResult:
    """One optimizer step: mean loss per trained token (or example), the LR it used, the tokens it read."""

    loss: float
    learning_rate: float | None
    grad_norm: float | None
    tokens: int


class StepModel(Protocol):
    """The numeric side of a run, in the order the loop calls it."""

    def load_data(self) -> int:
        """Reads the dataset; returns the number of train rows."""

    def has_eval(self) -> bool:
        """Whether there is an eval split."""

    def build(self, total_steps: int, resume_dir: str | None) -> None:
        """Loads the model, optimizer and scheduler; from ``resume_dir`` (states and RNG) when given."""

    def train_step(self, micro_batches: list[list[int]]) -> StepResult:
        """Forward and backward over the micro-batches (train row indices), then one optimizer step."""

    def evaluate(self) -> float:
        """Mean loss over the eval split."""

    def save_checkpoint(self, folder: str) -> None:
        """Writes ``adapter/`` or ``model/``, ``optimizer.pt``, ``scheduler.pt`` and ``rng_state.pth``."""

    def save_final(self, folder: str) -> None:
        """Writes the final adapter or model (and ``merged/`` when asked) into an empty folder."""

    def gpu_memory_bytes(self) -> int | None:
        """Peak accelerator memory so far, or None without one."""


class TrainingDiverged(RuntimeError):
    """The loss stopped being a number; training further would only burn GPU hours."""


class TrainingLoop:
    """Runs one attempt; :meth:`run` returns the exit code (0 completed, 75 paused)."""

    def __init__(self, config: TrainerConfig, model: StepModel, events: EventWriter, pause: PauseRequest,
                 clock: Callable[[], float] = time.monotonic):
        self.config = config
        self.model = model
        self.events = events
        self.pause = pause
        self.clock = clock
        self.step = 0
        self.cursor: DataCursor | None = None
        self.best_eval_loss: float | None = None
        self.best_step: int | None = None
        self.last_eval_loss: float | None = None
        self._saved_step: int | None = None

    @property
    def epoch(self) -> float:
        return self.cursor.epoch if self.cursor else 0.0

    def run(self) -> int:
        c, hp = self.config, self.config.hyperparameters
        start = resume.decide(c)
        rows = self.model.load_data()
        total = total_steps(rows, hp.samples_per_step, hp.epochs, hp.max_steps)
        # Seeded before building: LoRA's initial weights and the classifier head come from these generators.
        # A resume then overwrites every generator with the checkpoint's saved state.
        seed_everything(hp.seed)
        self.model.build(total, start.path)
        samples_seen = 0
        if start.state is not None:
            self.step, samples_seen = start.state.step, start.state.samples_seen
            self.best_eval_loss, self.best_step = start.state.best_eval_loss, start.state.best_step
            self._saved_step = self.step
        self.cursor = DataCursor(rows, hp.micro_batch_size, hp.samples_per_step, hp.seed, samples_seen)
        self.events.started(self.step, self.epoch, start.message, total)

        began, steps_done = self.clock(), 0
        window_start, window_tokens = began, 0
        while self.step < total:
            if self.pause.requested:
                self._checkpoint_once()
                return EXIT_PAUSED
            result = self.model.train_step(self.cursor.next_step())
            self.step += 1
            steps_done += 1
            window_tokens += result.tokens
            if not math.isfinite(result.loss):
                raise TrainingDiverged(f"loss is {result.loss} at step {self.step}")
            last = self.step == total
            if self.step % c.log_every_steps == 0 or last:
                now = self.clock()
                elapsed = now - window_start
                self.events.step(self.step, self.epoch, result.loss, result.learning_rate, result.grad_norm,
                                 tokens_per_sec=window_tokens / elapsed if elapsed > 0 else None,
                                 gpu_memory_bytes=self.model.gpu_memory_bytes(),
                                 eta_sec=(now - began) / steps_done * (total - self.step))
                window_start, window_tokens = now, 0
            if self.model.has_eval() and (self.step % c.eval_every_steps == 0 or last):
                self.last_eval_loss = self.model.evaluate()
                self.events.evaluated(self.step, self.epoch, self.last_eval_loss)
            if self.step % c.checkpoint.every_steps == 0 or last:
                self._checkpoint_once()
        return self._finish()

    def _checkpoint_once(self) -> None:
        """Saves at the current step unless that is already on disk (a pause right after a save).

        Step 0 is never saved: a pause before the first step of a fresh run leaves nothing to keep.
        """
        if self._saved_step == self.step or self.step == 0:
            return
        if self.last_eval_loss is not None and (self.best_eval_loss is None
                                                or self.last_eval_loss < self.best_eval_loss):
            self.best_eval_loss, self.best_step = self.last_eval_loss, self.step
        state = TrainerState(step=self.step, epoch=self.epoch, samples_seen=self.cursor.samples_seen,
                             best_eval_loss=self.best_eval_loss, best_step=self.best_step,
                             seed=self.config.hyperparameters.seed)
        folder = checkpoints.save(self.config.run_dir, self.step, state, self.model.save_checkpoint)
        self._saved_step = self.step
        self.events.checkpoint(self.step, self.epoch, folder)
        policy = self.config.checkpoint
        checkpoints.prune(self.config.run_dir, policy.keep_last, policy.keep_best, self.best_step)

    def _finish(self) -> int:
        final = os.path.join(self.config.run_dir, FINAL_DIR)
        partial = final + ".partial"
        # Written aside and renamed, so final/ is either the whole output or absent.
        for leftover in (partial, final):
            if os.path.lexists(leftover):
                shutil.rmtree(leftover)
        os.makedirs(partial)
        self.model.save_final(partial)
        os.replace(partial, final)
        self.events.completed(self.step, self.epoch, final)
        return EXIT_COMPLETED
