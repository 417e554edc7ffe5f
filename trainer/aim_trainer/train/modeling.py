"""Loading a causal LM for LoRA, QLoRA or full fine-tuning, and writing what the run produces.

* LoRA: the base in bf16 (or fp32), frozen; PEFT adapters on the configured target modules.
* QLoRA: the base quantized by bitsandbytes on load (nf4, double quantization, compute dtype from
  the config); bitsandbytes >= 0.49.2 on MI300X (the CDNA blocksize-64 fix).
* full: every weight trains; a resume loads the weights from the checkpoint's ``model/``.

Attention: FlashAttention-2 when the ``flash_attn`` package is there (packed rows are flattened and
it reads sequence boundaries from ``position_ids``), else SDPA with a block-diagonal mask built by
:func:`packed_attention_mask`, so packed conversations never see each other either way.
"""

from __future__ import annotations

import importlib.util
import os

from .. import lora_targets
from ..config import TrainerConfig
from . import runtime

ADAPTER_DIR = "adapter"
MODEL_DIR = "model"
MERGED_DIR = "merged"


def attention_implementation() -> str:
    if runtime.device().type == "cuda" and importlib.util.find_spec("flash_attn") is not None:
        return "flash_attention_2"
    return "sdpa"


def compute_dtype(config: TrainerConfig):
    import torch
    return torch.bfloat16 if config.hyperparameters.bf16 else torch.float32


def load_causal_lm(config: TrainerConfig, resume_dir: str | None):
    """The model to train, on the device, with PEFT adapters when the method has them."""
    from transformers import AutoModelForCausalLM
    hp = config.hyperparameters
    source = config.base_model.path
    if config.method == "full" and resume_dir:
        source = os.path.join(resume_dir, MODEL_DIR)
    kwargs = {"dtype": compute_dtype(config), "attn_implementation": attention_implementation()}
    if config.method == "qlora":
        import torch
        from transformers import BitsAndBytesConfig
        q = config.qlora
        kwargs["quantization_config"] = BitsAndBytesConfig(
            load_in_4bit=True, bnb_4bit_quant_type=q.quant_type, bnb_4bit_use_double_quant=q.double_quant,
            bnb_4bit_compute_dtype=getattr(torch, q.compute_dtype))
        kwargs["device_map"] = {"": runtime.device()}
    model = AutoModelForCausalLM.from_pretrained(source, **kwargs)
    if config.method != "qlora":
        model.to(runtime.device())
    model.config.use_cache = False  # the KV cache only costs memory while training
    if config.method == "qlora":
        from peft import prepare_model_for_kbit_training
        model = prepare_model_for_kbit_training(model, use_gradient_checkpointing=hp.gradient_checkpointing,
                                                gradient_checkpointing_kwargs={"use_reentrant": False})
    elif hp.gradient_checkpointing:
        model.gradient_checkpointing_enable(gradient_checkpointing_kwargs={"use_reentrant": False})
        if config.method == "lora":
            model.enable_input_require_grads()  # frozen embeddings would cut the checkpointed graph
    if config.method in ("lora", "qlora"):
        model = with_lora(model, config, task_type="CAUSAL_LM")
    return model


def with_lora(model, config: TrainerConfig, task_type: str, modules_to_save: list[str] | None = None):
    from peft import LoraConfig, get_peft_model
    lora = config.lora
    peft_config = LoraConfig(r=lora.rank, lora_alpha=lora.alpha, lora_dropout=lora.dropout, bias="none",
                             target_modules=lora_targets.resolve(config.base_model.model_type, lora.target_modules),
                             task_type=task_type, modules_to_save=modules_to_save)
    return get_peft_model(model, peft_config)


def load_adapter_weights(model, checkpoint_dir: str) -> None:
    """Puts a checkpoint's adapter (and modules_to_save) weights into the PEFT model."""
    from peft import set_peft_model_state_dict
    from safetensors.torch import load_file
    weights = load_file(os.path.join(checkpoint_dir, ADAPTER_DIR, "adapter_model.safetensors"))
    result = set_peft_model_state_dict(model, weights)
    unexpected = getattr(result, "unexpected_keys", [])
    if unexpected:
        raise ValueError(f"{checkpoint_dir}: adapter weights that match no module: {unexpected[:5]} "
                         f"(were the target modules changed since the run started?)")


def save_weights(model, folder: str, method: str) -> None:
    """``adapter/`` for lora and qlora, ``model/`` (safetensors) for full."""
    if method in ("lora", "qlora"):
        model.save_pretrained(os.path.join(folder, ADAPTER_DIR))
    else:
        model.save_pretrained(os.path.join(folder, MODEL_DIR))


def save_merged_causal_lm(config: TrainerConfig, adapter_dir: str, tokenizer, folder: str) -> None:
    """The base model with the adapter merged in, in the training dtype.

    The base is loaded again unquantized on the CPU: merging into QLoRA's 4-bit weights would round
    the adapter away, and the GPU copy may still hold the training state.
    """
    from peft import PeftModel
    from transformers import AutoModelForCausalLM
    base = AutoModelForCausalLM.from_pretrained(config.base_model.path, dtype=compute_dtype(config))
    merged = PeftModel.from_pretrained(base, adapter_dir).merge_and_unload()
    merged.save_pretrained(os.path.join(folder, MERGED_DIR))
    tokenizer.save_pretrained(os.path.join(folder, MERGED_DIR))


def packed_attention_mask(segment_ids):
    """Boolean [batch, 1, L, L] mask, True where a query may attend: causal, and only within the same
    packed sequence. Boolean, not additive, so it suits any compute dtype (QLoRA's may differ from the
    weights'); Transformers hands a 4D mask to SDPA as it is.

    ``segment_ids`` is [batch, L] with -1 for padding. Padding queries may see themselves: a row that
    masks every key makes SDPA's softmax NaN, and their labels are -100 anyway.
    """
    import torch
    length = segment_ids.shape[1]
    same = segment_ids[:, :, None] == segment_ids[:, None, :]
    causal = torch.ones(length, length, dtype=torch.bool, device=segment_ids.device).tril()
    allowed = same & causal & (segment_ids[:, None, :] >= 0)
    allowed |= torch.eye(length, dtype=torch.bool, device=segment_ids.device)
    return allowed[:, None]
