"""Which ONNX initializer holds which parameter of a Hugging Face ``BertModel``.

Guardrail encoders often exist here only as ONNX exports (the project runs them with ONNX Runtime).
To fine-tune one, its weights go back into a ``BertModel``. Names are the easy part: exports keep
``embeddings.word_embeddings.weight``, ``encoder.layer.N.attention.self.query.bias`` and the like,
sometimes under a ``bert.`` prefix. Linear weights are the hard part: ``torch.onnx.export`` turns
``Linear`` into ``MatMul`` with an anonymous, transposed initializer (``onnx::MatMul_1234``) whose
output feeds an ``Add`` with the named bias. So a weight is found through its bias, on the graph.

Quantized exports (ONNX Runtime's dynamic quantization, QInt8) hold ``<name>_quantized`` next to
``<name>_scale`` and ``<name>_zero_point`` and use ``MatMulInteger`` or ``DynamicQuantizeMatMul``;
QDQ exports use ``DequantizeLinear`` nodes. Each found weight says how to dequantize it.

This module works on names and nodes only (no onnx package), so it is tested with the stdlib.
"""

from __future__ import annotations

from dataclasses import dataclass, field

_PREFIXES = ("bert.", "model.", "encoder.bert.", "transformer.")
_MATMULS = {"MatMul", "MatMulInteger", "DynamicQuantizeMatMul", "MatMulIntegerToFloat", "Gemm"}
# Ops between a MatMul and its bias Add in plain and dynamically quantized graphs.
_PASS_THROUGH = {"Cast", "Mul"}


@dataclass(frozen=True)
class Node:
    op_type: str
    inputs: tuple[str, ...]
    outputs: tuple[str, ...]
    attrs: dict = field(default_factory=dict, hash=False, compare=False)


@dataclass(frozen=True)
class WeightSource:
    """Where a parameter's values are: ``initializer``, dequantized as ``(q - zero_point) * scale`` when
    ``scale`` is set (``axis`` is the per-channel axis, None per tensor), transposed when ``transpose``."""

    initializer: str
    transpose: bool = False
    scale: str | None = None
    zero_point: str | None = None
    axis: int | None = None


@dataclass
class Mapping:
    """The result: parameter name -> source, and what could not be found."""

    sources: dict[str, WeightSource]
    missing: list[str]


def bert_parameter_names(num_layers: int, pooler: bool = True) -> list[str]:
    """The parameter names of ``transformers.BertModel`` (absolute position embeddings)."""
    names = [f"embeddings.{e}.weight" for e in ("word_embeddings", "position_embeddings", "token_type_embeddings")]
    names += ["embeddings.LayerNorm.weight", "embeddings.LayerNorm.bias"]
    per_layer = ["attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense",
                 "attention.output.LayerNorm", "intermediate.dense", "output.dense", "output.LayerNorm"]
    for i in range(num_layers):
        names += [f"encoder.layer.{i}.{p}.{w}" for p in per_layer for w in ("weight", "bias")]
    if pooler:
        names += ["pooler.dense.weight", "pooler.dense.bias"]
    return names


def canonical(name: str) -> str:
    """The HF parameter name an initializer name stands for (wrapper and model prefixes dropped)."""
    stripped = True
    while stripped:
        stripped = False
        for prefix in _PREFIXES:
            if name.startswith(prefix):
                name, stripped = name[len(prefix):], True
    return name


def map_bert(initializers: set[str], nodes: list[Node], num_layers: int) -> Mapping:
    """Finds the source of every ``BertModel`` parameter; the pooler may be absent (listed as missing)."""
    tensors = _tensors(initializers, nodes)
    consumers: dict[str, list[Node]] = {}
    for node in nodes:
        for name in node.inputs:
            consumers.setdefault(name, []).append(node)
    sources: dict[str, WeightSource] = {}
    # 1. Tensors that carry their own name: embeddings, LayerNorms, biases, named Linear weights.
    for name, source in tensors.items():
        hf = canonical(name)
        transpose = _transposed_use(name, consumers)
        sources.setdefault(hf, _with_transpose(source, transpose))
    # 2. Anonymous MatMul weights, named after the bias they are added to.
    for node in nodes:
        if node.op_type not in _MATMULS or len(node.inputs) < 2 or node.inputs[1] not in tensors:
            continue
        bias = _bias_of(node, consumers, tensors)
        if bias is None or not canonical(bias).endswith(".bias"):
            continue
        weight = canonical(bias)[: -len(".bias")] + ".weight"
        source = tensors[node.inputs[1]]
        if node.op_type in ("DynamicQuantizeMatMul",) and source.scale is None:
            source = WeightSource(source.initializer, scale=node.inputs[2],
                                  zero_point=node.inputs[3] if len(node.inputs) > 3 and node.inputs[3] else None)
        sources.setdefault(weight, _with_transpose(source, _transposed_use(node.inputs[1], consumers)))
    wanted = bert_parameter_names(num_layers)
    return Mapping({n: sources[n] for n in wanted if n in sources}, [n for n in wanted if n not in sources])


def _tensors(initializers: set[str], nodes: list[Node]) -> dict[str, WeightSource]:
    """Every constant tensor by the name the graph uses for it, with how to dequantize it."""
    tensors: dict[str, WeightSource] = {}
    for name in initializers:
        if name.endswith(("_scale", "_zero_point")):
            continue
        if name.endswith("_quantized"):
            base = name[: -len("_quantized")]
            scale, zero = base + "_scale", base + "_zero_point"
            source = WeightSource(name, scale=scale if scale in initializers else None,
                                  zero_point=zero if zero in initializers else None)
            tensors[name] = source  # the graph uses this name
            tensors.setdefault(base, source)  # the name the parameter had
        else:
            tensors.setdefault(name, WeightSource(name))
    for node in nodes:  # QDQ: DequantizeLinear(q, scale, zero_point) -> the float tensor
        if node.op_type == "DequantizeLinear" and node.inputs and node.inputs[0] in initializers:
            tensors[node.outputs[0]] = WeightSource(
                node.inputs[0], scale=node.inputs[1],
                zero_point=node.inputs[2] if len(node.inputs) > 2 and node.inputs[2] else None,
                axis=node.attrs.get("axis"))
    return tensors


def _transposed_use(name: str, consumers: dict[str, list[Node]]) -> bool:
    """ONNX MatMul multiplies by a [in, out] matrix; torch's Linear stores [out, in]."""
    for node in consumers.get(name, []):
        if node.op_type in _MATMULS - {"Gemm"} and len(node.inputs) > 1 and node.inputs[1] == name:
            return True
        if node.op_type == "Gemm" and len(node.inputs) > 1 and node.inputs[1] == name:
            return not node.attrs.get("transB", 0)
    return False


def _bias_of(node: Node, consumers: dict[str, list[Node]], tensors: dict[str, WeightSource]) -> str | None:
    """The named bias added to this MatMul's output, following Cast/Mul of dequantization."""
    if node.op_type == "Gemm" and len(node.inputs) > 2 and node.inputs[2] in tensors:
        return node.inputs[2]
    if node.op_type == "DynamicQuantizeMatMul" and len(node.inputs) > 4 and node.inputs[4] in tensors:
        return node.inputs[4]
    if node.op_type == "MatMulIntegerToFloat" and len(node.inputs) > 6 and node.inputs[6] in tensors:
        return node.inputs[6]
    current = node.outputs[0]
    for _ in range(4):
        users = consumers.get(current, [])
        if len(users) != 1:
            return None
        user = users[0]
        if user.op_type == "Add":
            named = [i for i in user.inputs if i != current and i in tensors]
            return named[0] if named else None
        if user.op_type not in _PASS_THROUGH:
            return None
        current = user.outputs[0]
    return None


def _with_transpose(source: WeightSource, transpose: bool) -> WeightSource:
    return WeightSource(source.initializer, transpose, source.scale, source.zero_point, source.axis)
