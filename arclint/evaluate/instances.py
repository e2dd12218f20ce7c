"""Expand ``count`` and ``for_each`` into instance keys, with a bound."""

from __future__ import annotations

from dataclasses import dataclass, field

from arclint.core.limits import MAX_INSTANCES
from arclint.core.values import Unknown


@dataclass(frozen=True)
class Expansion:
    """The instances of a resource or module call: address suffixes with their environment."""

    keys: list[tuple[str, dict[str, object]]] = field(default_factory=list)
    note: str | None = None  # why the instances were not expanded, when they were not
    repeated: bool = False  # count/for_each was given: there may be several instances


def quote_key(key: object) -> str:
    """A ``for_each`` key as Terraform writes it in an address: ``"k"`` with ``\\`` and ``"`` escaped."""
    return '"' + str(key).replace("\\", "\\\\").replace('"', '\\"') + '"'


def expand(count: object, for_each: object, *, written: bool = True) -> Expansion:
    """Instance keys for ``count``/``for_each`` (both None: one unkeyed instance)."""
    single: list[tuple[str, dict[str, object]]] = [("", {})]
    if count is None and for_each is None:
        return Expansion(single)
    value = count if count is not None else for_each
    if isinstance(value, Unknown):
        what = "count" if count is not None else "for_each"
        return Expansion(
            single, f"{what} is not known ({'; '.join(value.reasons)}); its instances are checked as one", True
        )
    if count is not None:
        try:
            n = int(count)  # type: ignore[call-overload]  # any value: what int() rejects is the user's mistake
        except (TypeError, ValueError):
            return Expansion(single, f"count = {count!r} is not a number", True)
        if n <= 0:
            return Expansion([], None, True)
        if n > MAX_INSTANCES:
            return Expansion(
                single,
                f"count = {n} is more than the {MAX_INSTANCES} instances arclint expands; they are checked as one",
                True,
            )
        return Expansion([(f"[{i}]", {"count": {"index": i}}) for i in range(n)], None, True)
    if isinstance(for_each, dict):
        pairs = list(for_each.items())
    elif isinstance(for_each, list):
        pairs = [(str(v), v) for v in for_each]
    else:
        return Expansion(single, f"for_each = {for_each!r} is neither a map nor a set", True)
    if len(pairs) > MAX_INSTANCES:
        return Expansion(
            single,
            f"for_each has {len(pairs)} keys, more than the {MAX_INSTANCES} instances arclint expands;"
            " they are checked as one",
            True,
        )
    return Expansion([(f"[{quote_key(k)}]", {"each": {"key": k, "value": v}}) for k, v in pairs], None, True)
