"""What every backend shares: dependency checks, device, optimizer and scheduler, saved states.

Optimizer, scheduler and generator states are saved with ``torch.save`` and read back with
``weights_only=True``: a checkpoint folder is data, and unpickling arbitrary objects from it would
let a file on a shared volume run code. NumPy's generator state is stored as plain lists for the same
reason.
"""

from __future__ import annotations

import importlib.util
import math
import os
import random

from ..config import Hyperparameters, TrainerConfig

OPTIMIZER_FILE = "optimizer.pt"
SCHEDULER_FILE = "scheduler.pt"
RNG_FILE = "rng_state.pth"
MAX_GRAD_NORM = 1.0  # Transformers' default; the protocol has no knob for it


class MissingDependencies(RuntimeError):
    """Python packages the run needs are not installed."""


def needed_modules(config: TrainerConfig) -> list[str]:
    """Import names of the packages this config needs."""
    modules = ["torch", "transformers", "safetensors"]
    if config.method in ("lora", "qlora"):
        modules.append("peft")
    if config.method == "qlora":
        modules += ["bitsandbytes", "accelerate"]
    if config.dataset.format == "tokenized_parquet":
        modules.append("pyarrow")
    return modules


# torch.load(weights_only=True) of optimizer states needs the 2.x loader (1.13's refuses floats).
MIN_TORCH = (2, 1)


def require(config: TrainerConfig) -> None:
    missing = [m for m in needed_modules(config) if importlib.util.find_spec(m) is None]
    if missing:
        raise MissingDependencies(f"missing Python packages {', '.join(missing)}: install trainer/requirements.txt "
                                  f"(the trainer image has them)")
    version = torch_version()
    if version < MIN_TORCH:
        raise MissingDependencies(f"torch {'.'.join(map(str, version))} is too old: the trainer needs "
                                  f"{'.'.join(map(str, MIN_TORCH))} or newer (the image has 2.8)")


def torch_version() -> tuple[int, int]:
    """Major and minor of the installed torch, read without importing it."""
    from importlib.metadata import PackageNotFoundError, version
    try:
        text = version("torch")
    except PackageNotFoundError:
        import torch  # an install without metadata (some distribution packages)
        text = torch.__version__
    parts = text.split(".")
    return int(parts[0]), int("".join(ch for ch in parts[1] if ch.isdigit()) or 0)


def device():
    """The first GPU (ROCm builds of torch answer to the cuda API too), else the CPU; ``AIM_TRAINER_DEVICE``
    (``cpu``, ``cuda:1``, ...) overrides, e.g. for the CPU-only end-to-end tests."""
    import torch
    chosen = os.environ.get("AIM_TRAINER_DEVICE")
    if chosen:
        return torch.device(chosen)
    return torch.device("cuda", torch.cuda.current_device()) if torch.cuda.is_available() else torch.device("cpu")


def gpu_memory_bytes() -> int | None:
    import torch
    where = device()
    return int(torch.cuda.max_memory_allocated(where)) if where.type == "cuda" else None


def optimizer_and_scheduler(parameters, hp: Hyperparameters, total_steps: int):
    """AdamW and the configured schedule with linear warmup over ``warmup_ratio`` of the steps."""
    import torch
    from transformers import get_scheduler
    optimizer = torch.optim.AdamW(parameters, lr=hp.learning_rate, weight_decay=hp.weight_decay)
    name = "constant_with_warmup" if hp.lr_scheduler == "constant" else hp.lr_scheduler
    scheduler = get_scheduler(name, optimizer, num_warmup_steps=math.ceil(hp.warmup_ratio * total_steps),
                              num_training_steps=total_steps)
    return optimizer, scheduler


def save_training_state(folder: str, optimizer, scheduler) -> None:
    import torch
    torch.save(optimizer.state_dict(), os.path.join(folder, OPTIMIZER_FILE))
    torch.save(scheduler.state_dict(), os.path.join(folder, SCHEDULER_FILE))
    torch.save(rng_state(), os.path.join(folder, RNG_FILE))


def load_training_state(folder: str, optimizer, scheduler) -> None:
    """Restores optimizer, scheduler and every generator; call after the model and optimizer exist."""
    import torch
    optimizer.load_state_dict(torch.load(os.path.join(folder, OPTIMIZER_FILE), map_location="cpu", weights_only=True))
    scheduler.load_state_dict(torch.load(os.path.join(folder, SCHEDULER_FILE), weights_only=True))
    restore_rng_state(torch.load(os.path.join(folder, RNG_FILE), weights_only=True))


def rng_state() -> dict:
    import torch
    state = {"python": random.getstate(), "torch": torch.get_rng_state()}
    if torch.cuda.is_available():
        state["cuda"] = torch.cuda.get_rng_state_all()
    try:
        import numpy
        kind, keys, pos, has_gauss, cached = numpy.random.get_state()
        state["numpy"] = [kind, keys.tolist(), int(pos), int(has_gauss), float(cached)]
    except ImportError:
        pass
    return state


def restore_rng_state(state: dict) -> None:
    import torch
    version, internal, gauss = state["python"]
    random.setstate((version, tuple(internal), gauss))
    torch.set_rng_state(state["torch"])
    if "cuda" in state and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(state["cuda"])
    if "numpy" in state:
        import numpy
        kind, keys, pos, has_gauss, cached = state["numpy"]
        numpy.random.set_state((kind, numpy.array(keys, dtype=numpy.uint32), pos, has_gauss, cached))


def clip_and_step(parameters, optimizer, scheduler) -> tuple[float, float]:
    """Clips gradients, steps optimizer and scheduler; returns (grad norm before clipping, LR used)."""
    import torch
    grad_norm = torch.nn.utils.clip_grad_norm_(parameters, MAX_GRAD_NORM)
    learning_rate = scheduler.get_last_lr()[0]
    optimizer.step()
    scheduler.step()
    optimizer.zero_grad(set_to_none=True)
    return float(grad_norm), float(learning_rate)
