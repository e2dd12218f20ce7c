"""Terraform addresses and their instance keys (``module.web["a"].aws_instance.vm[0]``).

A bottom-layer helper: it imports nothing of arclint's, so any stage may use it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TypeVar

T = TypeVar("T")


def _skip_key(s: str, i: int) -> int:
    """Return the index just past the instance key that opens at ``s[i] == '['``."""
    j = i + 1
    if j < len(s) and s[j] == '"':
        j += 1
        while j < len(s) and s[j] != '"':
            j += 2 if s[j] == "\\" else 1
        j += 1
    end = s.find("]", j)
    return len(s) if end < 0 else end + 1


def _key_text(raw: str) -> str:
    """The key of ``[0]`` or ``["a\\"b"]`` as plain text (``0``, ``a"b``)."""
    inner = raw[1:-1] if raw.endswith("]") else raw[1:]
    if inner.startswith('"') and inner.endswith('"') and len(inner) >= 2:
        inner = inner[1:-1]
        out, i = [], 0
        while i < len(inner):
            if inner[i] == "\\" and i + 1 < len(inner):
                out.append(inner[i + 1])
                i += 2
            else:
                out.append(inner[i])
                i += 1
        return "".join(out)
    return inner


def split_keys(address: str) -> tuple[str, list[str]]:
    """The address without its instance keys, and the keys in order (quoted keys may hold ``.``, ``]``, ``"``)."""
    out: list[str] = []
    keys: list[str] = []
    i = 0
    while i < len(address):
        if address[i] == "[":
            end = _skip_key(address, i)
            keys.append(_key_text(address[i:end]))
            i = end
        else:
            out.append(address[i])
            i += 1
    return "".join(out), keys


def unkeyed(address: str) -> str:
    """Strip every ``[...]`` instance key from an address: ``module.web.aws_instance.vm``."""
    return split_keys(address)[0] if "[" in address else address


def instance_label(address: str) -> str:
    """The instance keys of an address as users name the instance: ``web1``, or ``prod/web1`` for nested keys."""
    return "/".join(split_keys(address)[1])


def without_own_key(address: str) -> str:
    """The address of the resource an instance belongs to: its last key dropped (``module.m["a"].x.vm``)."""
    if not address.endswith("]"):
        return address
    i, start = 0, -1
    while i < len(address):
        if address[i] == "[":
            start, i = i, _skip_key(address, i)
        else:
            i += 1
    return address[:start] if start > 0 else address


def named(refs: Iterable[str], known: Mapping[str, T]) -> list[T]:
    """What references name among ``known`` (by address): the instances they name exactly (``vm[1]``,
    ``vm["a"]``), else every instance of a resource named without its key (``vm[*]``)."""
    wanted = sorted(set(refs))
    exact = [known[r] for r in wanted if r in known]
    if exact:
        return exact
    return [v for a, v in known.items() if without_own_key(a) in wanted]
