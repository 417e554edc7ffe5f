"""Checkpoint folders of docs/FINETUNE-PROTOCOL.md section 3: writing, finding, pruning.

``RUN_DIR/checkpoint-<step>/`` holds what the model backend saves (``adapter/`` or ``model/``,
``optimizer.pt``, ``scheduler.pt``, ``rng_state.pth``), then ``trainer_state.json``, then
``manifest.json`` with a sha256 per file, written last and atomically. A folder without a manifest,
or whose files do not match it, was cut short by a crash while saving and is never resumed from; the
driver's CheckpointScanner applies the same rules, so both sides agree on what "complete" means.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import asdict, dataclass
from typing import Callable

PREFIX = "checkpoint-"
MANIFEST = "manifest.json"
TRAINER_STATE = "trainer_state.json"


@dataclass(frozen=True)
class TrainerState:
    """``trainer_state.json``. ``samples_seen`` is the data position; ``best_*`` name the best checkpoint so far.

    ``best_step`` is an addition to the protocol's list (the fake trainer writes it too): without it
    the best checkpoint could not be told apart after a resume.
    """

    step: int
    epoch: float
    samples_seen: int
    best_eval_loss: float | None
    best_step: int | None
    seed: int

    @staticmethod
    def read(folder: str) -> "TrainerState":
        with open(os.path.join(folder, TRAINER_STATE), encoding="utf-8") as f:
            raw = json.load(f)
        return TrainerState(step=int(raw["step"]), epoch=float(raw["epoch"]), samples_seen=int(raw["samples_seen"]),
                            best_eval_loss=None if raw.get("best_eval_loss") is None else float(raw["best_eval_loss"]),
                            best_step=None if raw.get("best_step") is None else int(raw["best_step"]),
                            seed=int(raw["seed"]))


@dataclass(frozen=True)
class Checkpoint:
    """A ``checkpoint-<step>`` folder; ``problem`` says why it cannot be resumed from (None: complete)."""

    step: int
    path: str
    problem: str | None

    @property
    def complete(self) -> bool:
        return self.problem is None


def folder_for(run_dir: str, step: int) -> str:
    return os.path.join(run_dir, f"{PREFIX}{step}")


def step_of(name: str) -> int | None:
    """``checkpoint-400`` -> 400; None for any other name."""
    digits = name[len(PREFIX):] if name.startswith(PREFIX) else ""
    if not digits or len(digits) > 18 or not digits.isascii() or not digits.isdigit():
        return None
    return int(digits)


def sha256_file(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def save(run_dir: str, step: int, state: TrainerState, write_files: Callable[[str], None]) -> str:
    """Writes a complete checkpoint: the backend's files, the trainer state, then the manifest.

    A folder left at this step by an earlier, crashed attempt is removed first, so no stale file can
    end up listed in the new manifest.
    """
    folder = folder_for(run_dir, step)
    if os.path.lexists(folder):
        shutil.rmtree(folder)
    os.makedirs(folder)
    write_files(folder)
    _write_json(os.path.join(folder, TRAINER_STATE), asdict(state))
    files = {}
    for rel in _files_below(folder):
        path = os.path.join(folder, rel)
        _fsync(path)  # the manifest promises these bytes are on disk
        files[rel] = "sha256:" + sha256_file(path)
    _write_json(os.path.join(folder, MANIFEST), {"step": step, "complete": True, "files": files}, atomic=True)
    return folder


def check(folder: str, step: int, verify_hashes: bool = True) -> str | None:
    """Why ``folder`` is not a complete checkpoint for ``step``, or None when it is."""
    manifest_path = os.path.join(folder, MANIFEST)
    if not os.path.isfile(manifest_path):
        return f"no {MANIFEST} (saving did not finish)"
    try:
        with open(manifest_path, encoding="utf-8") as f:
            manifest = json.load(f)
    except (OSError, ValueError):
        return f"{MANIFEST} is not valid JSON"
    if not isinstance(manifest, dict) or manifest.get("complete") is not True:
        return f'{MANIFEST} does not say "complete": true'
    if type(manifest.get("step")) is not int or manifest["step"] != step:
        return f"{MANIFEST} step {manifest.get('step')} does not match the folder ({step})"
    files = manifest.get("files")
    if not isinstance(files, dict) or TRAINER_STATE not in files:
        return f"{MANIFEST} does not list {TRAINER_STATE}"
    root = os.path.realpath(folder)
    for rel, digest in files.items():
        path = os.path.realpath(os.path.join(root, rel))
        if os.path.isabs(rel) or not path.startswith(root + os.sep):
            return f"{MANIFEST} lists a path outside the checkpoint: {rel}"
        if not os.path.isfile(path):
            return f"missing {rel}"
        if not isinstance(digest, str) or not digest.startswith("sha256:"):
            return f"{MANIFEST} hash of {rel} is not sha256:<hex>"
    if verify_hashes:  # last: it reads every byte
        for rel, digest in files.items():
            if sha256_file(os.path.join(root, rel)) != digest[len("sha256:"):].lower():
                return f"{rel} does not match its sha256 in {MANIFEST}"
    return None


def scan(run_dir: str, verify_hashes: bool = True) -> list[Checkpoint]:
    """Every ``checkpoint-<step>`` folder of the run, by step."""
    if not os.path.isdir(run_dir):
        return []
    found = []
    for name in os.listdir(run_dir):
        step = step_of(name)
        path = os.path.join(run_dir, name)
        if step is not None and os.path.isdir(path):
            found.append(Checkpoint(step, path, check(path, step, verify_hashes)))
    return sorted(found, key=lambda c: c.step)


def latest_complete(run_dir: str) -> Checkpoint | None:
    """The complete checkpoint with the highest step, hashes verified."""
    for c in reversed(scan(run_dir, verify_hashes=True)):
        if c.complete:
            return c
    return None


def prune(run_dir: str, keep_last: int, keep_best: bool, best_step: int | None) -> list[str]:
    """Deletes what the policy does not keep; returns the deleted folders.

    Kept: the last ``keep_last`` complete checkpoints, plus the best one when ``keep_best``. Incomplete
    folders are leftovers of crashed saves (nothing else writes checkpoints while this runs) and go too.
    Only presence is checked here: hashing every kept checkpoint after each save would reread
    gigabytes of weights, and the resume path verifies hashes anyway.
    """
    found = scan(run_dir, verify_hashes=False)
    complete = [c for c in found if c.complete]
    keep = {c.step for c in complete[-keep_last:]} if keep_last > 0 else set()
    if keep_best and best_step is not None:
        keep.add(best_step)
    deleted = []
    for c in found:
        if c.step not in keep or not c.complete:
            shutil.rmtree(c.path, ignore_errors=True)
            deleted.append(c.path)
    return deleted


def _files_below(folder: str) -> list[str]:
    rels = []
    for root, _dirs, names in os.walk(folder):
        for name in names:
            rel = os.path.relpath(os.path.join(root, name), folder).replace(os.sep, "/")
            if rel != MANIFEST:
                rels.append(rel)
    return sorted(rels)


def _write_json(path: str, value: dict, atomic: bool = False) -> None:
    target = path + ".tmp" if atomic else path
    with open(target, "w", encoding="utf-8") as f:
        json.dump(value, f, indent=2, sort_keys=True)
        f.write("\n")
        f.flush()
        os.fsync(f.fileno())
    if atomic:
        os.replace(target, path)
        _fsync_dir(os.path.dirname(path))


def _fsync(path: str) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(path: str) -> None:
    try:
        _fsync(path)
    except OSError:
        pass  # some file systems cannot fsync a directory; the rename is still atomic
