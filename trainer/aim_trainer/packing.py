"""Batches of pre-tokenized rows, on plain lists (the torch side only turns them into tensors).

Rows come from the dataset job's tokenized Parquet: ``input_ids``, ``labels`` (-100 outside the
assistant spans), ``position_ids`` restarting at 0 for every packed conversation, and
``sequence_lengths``. Two batch shapes:

* flattened: all rows of a micro-batch back to back in one row, like Transformers'
  ``DataCollatorWithFlattening``; FlashAttention-2 reads the boundaries from ``position_ids``.
* padded: one row per row, plus a segment id per token, from which the torch side builds a
  block-diagonal causal mask (SDPA has no notion of packed sequences).

In both, the label of the first token of every packed conversation is -100: Transformers shifts
labels left by one, so that label would otherwise train the last token of the previous conversation
to predict the first token of the next.
"""

from __future__ import annotations

from dataclasses import dataclass

IGNORE_INDEX = -100


@dataclass(frozen=True)
class TokenRow:
    input_ids: list[int]
    labels: list[int]
    position_ids: list[int]
    sequence_lengths: list[int]

    @staticmethod
    def single(input_ids: list[int], labels: list[int]) -> "TokenRow":
        """One unpacked sequence."""
        return TokenRow(list(input_ids), list(labels), list(range(len(input_ids))), [len(input_ids)])


def checked(row: TokenRow, max_seq_len: int) -> TokenRow:
    """The row cut to ``max_seq_len``; raises ``ValueError`` when its columns do not line up."""
    n = len(row.input_ids)
    if len(row.labels) != n or len(row.position_ids) != n:
        raise ValueError(f"{n} input_ids but {len(row.labels)} labels and {len(row.position_ids)} position_ids")
    if sum(row.sequence_lengths) != n or any(length <= 0 for length in row.sequence_lengths):
        raise ValueError(f"sequence_lengths {row.sequence_lengths} do not add up to the {n} input_ids")
    if n <= max_seq_len:
        return row
    lengths, left = [], max_seq_len
    for length in row.sequence_lengths:
        if left == 0:
            break
        lengths.append(min(length, left))
        left -= lengths[-1]
    return TokenRow(row.input_ids[:max_seq_len], row.labels[:max_seq_len], row.position_ids[:max_seq_len], lengths)


def boundary_masked_labels(row: TokenRow) -> list[int]:
    """The row's labels with the first token of every packed sequence set to -100."""
    labels = list(row.labels)
    start = 0
    for length in row.sequence_lengths:
        labels[start] = IGNORE_INDEX
        start += length
    return labels


def flatten(rows: list[TokenRow]) -> dict[str, list[int]]:
    """One row holding all of ``rows``: ``input_ids``, ``labels``, ``position_ids``, ``cu_seq_lens``."""
    input_ids, labels, position_ids, cu = [], [], [], [0]
    for row in rows:
        input_ids += row.input_ids
        labels += boundary_masked_labels(row)
        position_ids += row.position_ids
        for length in row.sequence_lengths:
            cu.append(cu[-1] + length)
    return {"input_ids": input_ids, "labels": labels, "position_ids": position_ids, "cu_seq_lens": cu}


def padded(rows: list[TokenRow], pad_id: int) -> dict[str, list[list[int]]]:
    """Rows padded to the longest: ``input_ids``, ``labels``, ``position_ids``, ``segment_ids`` (-1 = padding)."""
    width = max(len(r.input_ids) for r in rows)
    out: dict[str, list[list[int]]] = {"input_ids": [], "labels": [], "position_ids": [], "segment_ids": []}
    for row in rows:
        pad = width - len(row.input_ids)
        segments = [i for i, length in enumerate(row.sequence_lengths) for _ in range(length)]
        out["input_ids"].append(row.input_ids + [pad_id] * pad)
        out["labels"].append(boundary_masked_labels(row) + [IGNORE_INDEX] * pad)
        out["position_ids"].append(row.position_ids + [0] * pad)
        out["segment_ids"].append(segments + [-1] * pad)
    return out


def trained_tokens(label_rows: list[list[int]]) -> int:
    """Tokens the shifted causal-LM loss counts: labels after the first position that are not -100."""
    return sum(1 for labels in label_rows for label in labels[1:] if label != IGNORE_INDEX)


def labels_from_spans(input_ids: list[int], offsets: list[tuple[int, int]],
                      spans: list[tuple[int, int]]) -> list[int]:
    """Labels for a chat rendered as text: a token trains when it starts inside an assistant span.

    ``offsets`` are the tokenizer's character offsets per token, ``spans`` half-open character ranges
    of the assistant turns in the rendered text. Special tokens without text have offsets (0, 0) and
    train only when position 0 lies in a span, which it never does after a chat template's header.
    """
    labels = []
    for token, (start, end) in zip(input_ids, offsets):
        inside = end > start and any(s <= start < e for s, e in spans)
        labels.append(token if inside else IGNORE_INDEX)
    return labels
