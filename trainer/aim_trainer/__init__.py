"""The AIM.next trainer: LoRA, QLoRA and full fine-tuning that speaks docs/FINETUNE-PROTOCOL.md.

The protocol side (config, events, checkpoints, pause/resume, data order) is pure standard library;
the numeric side lives in :mod:`aim_trainer.train` and imports torch, Transformers and PEFT lazily.
"""

__version__ = "0.1.0"
