"""Reading one JSON object field by field, collecting every problem instead of stopping at the first.

Used for the trainer config: a hand-edited config with three typos should get three messages in one
run, each with the path of the field (``hyperparameters.epochs: must be in [1, 10000], got 0``).
"""

from __future__ import annotations

import json
import math
from typing import Any, Callable


def no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """``object_pairs_hook`` that refuses a repeated key (JSON would let the last one win silently)."""
    seen: dict[str, Any] = {}
    for key, value in pairs:
        if key in seen:
            raise ValueError(f"duplicate key '{key}'")
        seen[key] = value
    return seen


def no_constants(name: str) -> Any:
    """``parse_constant`` that refuses NaN and Infinity, which no config value may be."""
    raise ValueError(f"{name} is not a number the config may hold")


class FieldReader:
    """Reads fields of one JSON object, recording errors instead of raising, and unknown keys at the end."""

    def __init__(self, raw: Any, prefix: str, errors: list[str]):
        self.raw = raw if isinstance(raw, dict) else {}
        self.prefix = prefix
        self.errors = errors
        self.used: set[str] = set()
        self.failed: set[str] = set()

    def _where(self, key: str) -> str:
        return self.prefix + key

    def _get(self, key: str, nullable: bool) -> tuple[bool, Any]:
        self.used.add(key)
        if key not in self.raw:
            self.failed.add(key)
            self.errors.append(f"{self._where(key)}: missing (write null for no value)" if nullable
                               else f"{self._where(key)}: missing")
            return False, None
        value = self.raw[key]
        if value is None:
            if not nullable:
                self.failed.add(key)
                self.errors.append(f"{self._where(key)}: must not be null")
            return False, None
        return True, value

    def _fail(self, key: str, what: str, value: Any) -> None:
        self.failed.add(key)
        self.errors.append(f"{self._where(key)}: {what}, got {json.dumps(value)}")

    def text(self, key: str, nullable: bool = False, check: Callable[[str], str | None] | None = None) -> Any:
        ok, value = self._get(key, nullable)
        if not ok:
            return None
        if not isinstance(value, str) or not value.strip():
            self._fail(key, "must be a non-empty string", value)
            return None
        problem = check(value) if check else None
        if problem:
            self._fail(key, problem, value)
            return None
        return value

    def choice(self, key: str, allowed: tuple[str, ...]) -> Any:
        ok, value = self._get(key, False)
        if ok and value not in allowed:
            self._fail(key, "must be one of " + ", ".join(allowed), value)
            return None
        return value if ok else None

    def boolean(self, key: str) -> Any:
        ok, value = self._get(key, False)
        if ok and not isinstance(value, bool):
            self._fail(key, "must be true or false", value)
            return None
        return value if ok else None

    def integer(self, key: str, low: int, high: int, nullable: bool = False) -> Any:
        ok, value = self._get(key, nullable)
        if not ok:
            return None
        # bool is an int in Python; true must not pass as 1. 3.0 is accepted: JSON writers differ there.
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            self._fail(key, "must be a whole number", value)
            return None
        if not low <= value <= high:
            self._fail(key, f"must be in [{low}, {high}]", value)
            return None
        return value

    def number(self, key: str, low: float, high: float, low_open: bool = False, high_open: bool = False) -> Any:
        ok, value = self._get(key, False)
        if not ok:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            self._fail(key, "must be a number", value)
            return None
        if value < low or value > high or (low_open and value == low) or (high_open and value == high):
            self._fail(key, f"must be in {'(' if low_open else '['}{low}, {high}{')' if high_open else ']'}", value)
            return None
        return float(value)

    def strings(self, key: str) -> list[str]:
        ok, value = self._get(key, False)
        if not ok:
            return []
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            self._fail(key, "must be a list of non-empty strings", value)
            return []
        if len(set(value)) != len(value):
            self._fail(key, "must not repeat a name", value)
            return []
        return list(value)

    def section(self, key: str, nullable: bool, build: Callable[["FieldReader"], Any]) -> Any:
        ok, value = self._get(key, nullable)
        if not ok:
            return None
        if not isinstance(value, dict):
            self._fail(key, "must be an object" + (" or null" if nullable else ""), value)
            return None
        before = len(self.errors)
        inner = FieldReader(value, self._where(key) + ".", self.errors)
        built = build(inner)
        inner.finish()
        # A section with errors is None so the cross-checks do not report the same problem twice.
        if len(self.errors) != before:
            self.failed.add(key)
            return None
        return built

    def finish(self) -> None:
        for key in sorted(set(self.raw) - self.used):
            self.errors.append(f"{self._where(key)}: unknown key")
