"""Reading the prepared dataset: tokenized Parquet (the dataset job's output) and chat JSONL.

The Parquet columns stay in Arrow buffers and a row becomes Python lists only when a step asks for
it: a few hundred million tokens as Python ints would take tens of gigabytes.
"""

from __future__ import annotations

import json

from ..packing import IGNORE_INDEX, TokenRow, checked, labels_from_spans

TOKEN_COLUMNS = ("input_ids", "labels", "position_ids", "sequence_lengths")


class TokenizedParquet:
    """The rows of one tokenized Parquet file, indexable like a list of :class:`TokenRow`."""

    def __init__(self, path: str, max_seq_len: int):
        import pyarrow.parquet as pq
        schema = pq.read_schema(path)
        missing = [c for c in TOKEN_COLUMNS if c not in schema.names]
        if missing:
            raise ValueError(f"{path}: no column {', '.join(missing)}; expected the dataset job's tokenized Parquet "
                             f"({', '.join(TOKEN_COLUMNS)})")
        table = pq.read_table(path, columns=list(TOKEN_COLUMNS))
        self.path = path
        self.max_seq_len = max_seq_len
        self._rows = table.num_rows
        self._columns = {}
        for name in TOKEN_COLUMNS:
            column = table.column(name).combine_chunks()
            if column.null_count:
                raise ValueError(f"{path}: column {name} has {column.null_count} null rows")
            self._columns[name] = (column.offsets.to_numpy(), column.values.to_numpy(zero_copy_only=False))

    def __len__(self) -> int:
        return self._rows

    def __getitem__(self, i: int) -> TokenRow:
        if not 0 <= i < self._rows:
            raise IndexError(i)
        lists = {}
        for name, (offsets, values) in self._columns.items():
            lists[name] = values[offsets[i]:offsets[i + 1]].tolist()
        try:
            return checked(TokenRow(**lists), self.max_seq_len)
        except ValueError as e:
            raise ValueError(f"{self.path} row {i}: {e}") from e


def read_chat_jsonl(path: str, tokenizer, max_seq_len: int) -> list[TokenRow]:
    """``{"messages": [...]}`` lines, rendered with the model's chat template, trained on assistant turns."""
    rows = []
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                messages = json.loads(line)["messages"]
                rows.append(checked(encode_chat(tokenizer, messages), max_seq_len))
            except (ValueError, KeyError, TypeError) as e:
                raise ValueError(f"{path} line {number}: {e}") from e
    return rows


def encode_chat(tokenizer, messages: list[dict]) -> TokenRow:
    """Tokens of the whole conversation; labels only inside assistant turns.

    Assistant spans are found in the rendered text: the template applied to the conversation up to
    and including a turn, minus the same up to the turn before it (with the generation prompt). That
    works for any template that renders a conversation's prefix as a prefix of its text.
    """
    messages = [{"role": m["role"], "content": m["content"]} for m in messages]
    text = tokenizer.apply_chat_template(messages, tokenize=False)
    spans = []
    for i, message in enumerate(messages):
        if message["role"] != "assistant":
            continue
        before = tokenizer.apply_chat_template(messages[:i], tokenize=False, add_generation_prompt=True) if i else ""
        upto = tokenizer.apply_chat_template(messages[:i + 1], tokenize=False)
        if not (text.startswith(upto) and upto.startswith(before)):
            raise ValueError("the chat template does not render a conversation's start as the start of its text; "
                             "prepare the dataset as tokenized_parquet instead")
        spans.append((len(before), len(upto)))
    encoded = tokenizer(text, add_special_tokens=False, return_offsets_mapping=True)
    labels = labels_from_spans(encoded["input_ids"], encoded["offset_mapping"], spans)
    if all(label == IGNORE_INDEX for label in labels):
        raise ValueError("no assistant turn to train on")
    return TokenRow.single(encoded["input_ids"], labels)


def read_classification_jsonl(path: str) -> list[tuple[str, object]]:
    """``{"text": ..., "label": ...}`` lines as (text, label) pairs; labels may be strings or integers."""
    pairs = []
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                text, label = row["text"], row["label"]
            except (ValueError, KeyError, TypeError) as e:
                raise ValueError(f"{path} line {number}: expected {{\"text\": ..., \"label\": ...}}: {e}") from e
            if not isinstance(text, str) or isinstance(label, (bool, float, list, dict)) or label is None:
                raise ValueError(f"{path} line {number}: text must be a string and label a string or an integer")
            pairs.append((text, label))
    return pairs
