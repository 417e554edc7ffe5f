"""The numeric side of the trainer: Transformers + PEFT models behind the loop's StepModel.

Everything here imports torch, so nothing imports this package until a real run starts
(``aim_trainer.cli``); the protocol side and its tests run without it. Written against the
versions pinned in ``trainer/requirements.txt`` and the Dockerfile's base image; see README.md for
what has and has not run where.
"""

from __future__ import annotations

from ..config import TrainerConfig
from .runtime import MissingDependencies, require


def create_model(config: TrainerConfig, merge_weights: bool):
    """The StepModel for the config's task; raises :class:`MissingDependencies` without the packages."""
    require(config)
    from transformers.utils import logging as hf_logging  # noqa: PLC0415
    # Progress bars redraw one line with carriage returns: noise in the driver's log, and no line for
    # its stall detection until they finish.
    hf_logging.disable_progress_bar()
    if config.task == "causal_lm":
        from .causal_lm import CausalLmModel  # noqa: PLC0415
        return CausalLmModel(config, merge_weights)
    from .classifier import ClassifierModel  # noqa: PLC0415
    return ClassifierModel(config, merge_weights)


__all__ = ["MissingDependencies", "create_model"]
