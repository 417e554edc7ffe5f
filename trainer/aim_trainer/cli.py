"""``python3 -m aim_trainer --config FILE``: one attempt of a run, with the protocol's exit codes.

0 completed, 75 paused (SIGTERM, checkpoint saved), 2 bad config (nothing to retry), 1 anything else
(the driver retries from the last complete checkpoint). Logs go to stderr; stdout carries only
event lines, so a log line can never be mistaken for one.
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from typing import Callable

from . import __version__
from .config import ConfigError, TrainerConfig, load_config
from .events import EventWriter
from .loop import StepModel, TrainingLoop
from .pause import PauseRequest

EXIT_BAD_CONFIG = 2
EXIT_CRASHED = 1
_MESSAGE_LIMIT = 2000

ModelFactory = Callable[[TrainerConfig, bool], StepModel]


def main(argv: list[str] | None = None, model_factory: ModelFactory | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python3 -m aim_trainer",
                                     description="Fine-tunes a model as docs/FINETUNE-PROTOCOL.md describes.")
    parser.add_argument("--config", required=True, help="the trainer config JSON the driver wrote")
    parser.add_argument("--merge-weights", action="store_true",
                        help="also write final/merged/: the base model with the adapter merged in (lora, qlora)")
    args = parser.parse_args(argv)  # a usage error exits 2 as well
    try:
        config = load_config(args.config)
        missing = preflight(config)
        if missing:
            raise ConfigError(missing)
    except ConfigError as e:
        log(f"{args.config}: {e}")
        return EXIT_BAD_CONFIG
    log(f"aim_trainer {__version__}: run {config.run_id}, {config.task}, {config.method}, "
        f"{config.base_model.model_id}, pid {os.getpid()}")
    events = EventWriter(config.run_id, config.run_dir)
    pause = PauseRequest().install()
    loop: TrainingLoop | None = None
    try:
        model = (model_factory or _transformers_model)(config, args.merge_weights)
        loop = TrainingLoop(config, model, events, pause)
        return loop.run()
    except ConfigError as e:  # resume_from that cannot be honoured
        log(str(e))
        events.failed(loop.step if loop else 0, loop.epoch if loop else 0.0, _message(e))
        return EXIT_BAD_CONFIG
    except Exception as e:  # noqa: BLE001 - every crash must end in a FAILED event and exit 1
        traceback.print_exc(file=sys.stderr)
        events.failed(loop.step if loop else 0, loop.epoch if loop else 0.0, _message(e))
        return EXIT_CRASHED


def preflight(config: TrainerConfig) -> list[str]:
    """Paths the config names that do not exist; cheaper to say now than after loading a model."""
    problems = []
    if not os.path.isfile(config.dataset.train):
        problems.append(f"dataset.train: {config.dataset.train} is not a file")
    if config.dataset.eval is not None and not os.path.isfile(config.dataset.eval):
        problems.append(f"dataset.eval: {config.dataset.eval} is not a file")
    if not os.path.isdir(config.base_model.path):
        problems.append(f"base_model.path: {config.base_model.path} is not a folder")
    try:
        os.makedirs(config.run_dir, exist_ok=True)
    except OSError as e:
        problems.append(f"run_dir: cannot create {config.run_dir}: {e.strerror or e}")
    return problems


def log(message: str) -> None:
    print(f"aim_trainer: {message}", file=sys.stderr, flush=True)


def _message(e: BaseException) -> str:
    """Type and text of the error, never data: messages end up on a Kafka topic."""
    text = f"{type(e).__name__}: {e}".strip()
    return text if len(text) <= _MESSAGE_LIMIT else text[:_MESSAGE_LIMIT] + "..."


def _transformers_model(config: TrainerConfig, merge_weights: bool) -> StepModel:
    from .train import create_model  # noqa: PLC0415 - torch is imported only when training for real
    return create_model(config, merge_weights)
