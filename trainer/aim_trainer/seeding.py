"""Deterministic seeding and the data order that makes exact resume possible.

The train rows are visited in a seeded permutation per epoch, so the position in the data is one
number, ``samples_seen``: epoch = samples_seen // rows, offset = samples_seen % rows. A resumed run
rebuilds the same permutation and skips exactly the rows it had seen, without replaying the data
loader. An optimizer step never crosses an epoch boundary (the last step of an epoch may be short),
which keeps that arithmetic exact.
"""

from __future__ import annotations

import math
import os
import random


def seed_everything(seed: int) -> None:
    """Seeds Python's, NumPy's and torch's generators (whichever are installed)."""
    random.seed(seed)
    os.environ["PYTHONHASHSEED"] = str(seed)  # for worker processes started later
    try:
        import numpy  # noqa: PLC0415 - optional
        numpy.random.seed(seed % (2**32))
    except ImportError:
        pass
    try:
        import torch  # noqa: PLC0415 - optional
        torch.manual_seed(seed)
        if torch.cuda.is_available():  # ROCm builds answer here too
            torch.cuda.manual_seed_all(seed)
    except ImportError:
        pass


def epoch_permutation(rows: int, seed: int, epoch: int) -> list[int]:
    """The order of the train rows in ``epoch``: the same on every machine and Python 3 version."""
    order = list(range(rows))
    # An own generator: the global one also drives dropout, and restoring it must not move the data.
    random.Random(seed * 1_000_003 + epoch).shuffle(order)
    return order


def total_steps(rows: int, samples_per_step: int, epochs: int, max_steps: int | None) -> int:
    """Optimizer steps of the run: ``max_steps`` when set, else whole epochs."""
    if rows <= 0:
        raise ValueError("the train split has no rows")
    if max_steps is not None:
        return max_steps
    return epochs * math.ceil(rows / samples_per_step)


class DataCursor:
    """Hands out the row indices of each optimizer step, split into micro-batches."""

    def __init__(self, rows: int, micro_batch_size: int, samples_per_step: int, seed: int, samples_seen: int = 0):
        if rows <= 0:
            raise ValueError("the train split has no rows")
        if samples_seen < 0:
            raise ValueError("samples_seen must be >= 0")
        self.rows = rows
        self.micro_batch_size = micro_batch_size
        self.samples_per_step = samples_per_step
        self.seed = seed
        self.samples_seen = samples_seen
        self._epoch = -1
        self._order: list[int] = []

    @property
    def epoch(self) -> float:
        """Epochs done, as a fraction (the events' ``epoch``)."""
        return self.samples_seen / self.rows

    def next_step(self) -> list[list[int]]:
        """The micro-batches of the next optimizer step; advances ``samples_seen``."""
        epoch, offset = divmod(self.samples_seen, self.rows)
        if epoch != self._epoch:
            self._epoch, self._order = epoch, epoch_permutation(self.rows, self.seed, epoch)
        take = self._order[offset:offset + self.samples_per_step]
        self.samples_seen += len(take)
        return [take[i:i + self.micro_batch_size] for i in range(0, len(take), self.micro_batch_size)]
