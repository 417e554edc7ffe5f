"""LoRA target modules per architecture (config.json ``model_type``), as PEFT names them.

The driver already resolves ``target_modules`` for the model (operators' LoraTarget does the same
mapping), so normally this only checks them: a name the architecture does not have would make PEFT
fail after minutes of loading, or, worse, match nothing it was meant to. An empty list means "the
architecture's defaults". Phi-3 fuses q/k/v into ``qkv_proj`` and gate/up into ``gate_up_proj``;
PEFT's built-in map lacks it, which is why this table exists at all.
"""

from __future__ import annotations

_LLAMA_STYLE = ("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj")
_ATTENTION = ("q_proj", "k_proj", "v_proj", "o_proj")

# model_type -> (every adaptable Linear name, the default selection)
_ARCHITECTURES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "llama": (_LLAMA_STYLE, _ATTENTION),
    "mistral": (_LLAMA_STYLE, _ATTENTION),
    "qwen2": (_LLAMA_STYLE, _ATTENTION),
    "qwen3": (_LLAMA_STYLE, _ATTENTION),
    "gemma": (_LLAMA_STYLE, _ATTENTION),
    "gemma2": (_LLAMA_STYLE, _ATTENTION),
    "gemma3_text": (_LLAMA_STYLE, _ATTENTION),
    "gemma3": (_LLAMA_STYLE, _ATTENTION),
    "mixtral": (_ATTENTION + ("w1", "w2", "w3"), _ATTENTION),
    "phi3": (("qkv_proj", "o_proj", "gate_up_proj", "down_proj"), ("qkv_proj", "o_proj")),
    # Encoders for the guardrail classifiers (task sequence_classification).
    "bert": (("query", "key", "value", "dense"), ("query", "value")),
    "roberta": (("query", "key", "value", "dense"), ("query", "value")),
    "xlm-roberta": (("query", "key", "value", "dense"), ("query", "value")),
    "distilbert": (("q_lin", "k_lin", "v_lin", "out_lin", "lin1", "lin2"), ("q_lin", "v_lin")),
    "deberta-v2": (("query_proj", "key_proj", "value_proj", "dense"), ("query_proj", "value_proj")),
}

# Names a user may carry over from a Llama config to a fused model, with the fused name to use.
_FUSED_HINTS = {"q_proj": "qkv_proj", "k_proj": "qkv_proj", "v_proj": "qkv_proj",
                "gate_proj": "gate_up_proj", "up_proj": "gate_up_proj"}


def known(model_type: str) -> bool:
    """Whether this table knows the architecture."""
    return model_type in _ARCHITECTURES


def defaults(model_type: str) -> list[str]:
    """The default targets for an architecture; raises ``KeyError`` for an unknown one."""
    return list(_ARCHITECTURES[model_type][1])


def resolve(model_type: str, target_modules: tuple[str, ...] | list[str]) -> list[str]:
    """The modules to adapt: the given ones, or the architecture's defaults when none are given."""
    if target_modules:
        return list(target_modules)
    return defaults(model_type)


def check(model_type: str, target_modules: tuple[str, ...] | list[str]) -> str | None:
    """Why these targets cannot work on the architecture, or None when they can (or it is unknown)."""
    if not target_modules:
        if model_type not in _ARCHITECTURES:
            return (f"empty, and there are no default targets for model_type {model_type}; "
                    f"name the modules (known architectures: {', '.join(sorted(_ARCHITECTURES))})")
        return None
    if model_type not in _ARCHITECTURES:
        return None  # PEFT itself reports a name that matches no module
    names = _ARCHITECTURES[model_type][0]
    wrong = [t for t in target_modules if t not in names]
    if not wrong:
        return None
    hint = ""
    if "qkv_proj" in names:
        fused = sorted({_FUSED_HINTS[w] for w in wrong if w in _FUSED_HINTS})
        if fused:
            hint = f" ({model_type} fuses these projections: use {', '.join(fused)})"
    return f"{', '.join(wrong)} not in {model_type}'s modules {', '.join(names)}{hint}"
