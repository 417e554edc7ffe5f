"""Where an attempt starts: fresh, or from a complete checkpoint.

The driver picks ``resume_from`` (the newest complete checkpoint it found); the trainer checks it
again, hashes included, because the folder may have been damaged since. A damaged pick falls back to
the newest complete checkpoint of the run. Nothing to resume from, or a checkpoint made with another
seed (its data order would not be this run's), is a config error: retrying cannot fix either.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from . import checkpoints
from .checkpoints import TrainerState
from .config import ConfigError, TrainerConfig


@dataclass(frozen=True)
class ResumePoint:
    """``path`` and ``state`` are None for a fresh start; ``message`` goes into the STARTED event."""

    path: str | None
    state: TrainerState | None
    message: str


def decide(config: TrainerConfig) -> ResumePoint:
    """The start of this attempt; raises :class:`ConfigError` when ``resume_from`` cannot be honoured."""
    if config.resume_from is None:
        return ResumePoint(None, None, "fresh start")
    wanted = os.path.normpath(config.resume_from)
    name = os.path.basename(wanted)
    step = checkpoints.step_of(name)
    if step is None or not os.path.isdir(wanted):
        problem = "not a checkpoint-<step> folder" if step is None else "no such folder"
    else:
        problem = checkpoints.check(wanted, step, verify_hashes=True)
    if problem is None:
        return _point(config, wanted, f"resumed from {name}")
    fallback = checkpoints.latest_complete(config.run_dir)
    if fallback is None:
        raise ConfigError([f"resume_from: {wanted}: {problem}, and {config.run_dir} has no complete checkpoint"])
    return _point(config, fallback.path,
                  f"resumed from {os.path.basename(fallback.path)} ({name} is incomplete: {problem})")


def _point(config: TrainerConfig, path: str, message: str) -> ResumePoint:
    try:
        state = TrainerState.read(path)
    except (OSError, ValueError, KeyError, TypeError) as e:
        raise ConfigError([f"resume_from: {path}/{checkpoints.TRAINER_STATE} is unreadable: {e}"]) from e
    if state.seed != config.hyperparameters.seed:
        raise ConfigError([f"resume_from: {os.path.basename(path)} was trained with seed {state.seed}, the config "
                           f"says {config.hyperparameters.seed}; the data order would not continue"])
    return ResumePoint(path, state, message)
