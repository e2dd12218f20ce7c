"""Lazily evaluated blocks: what the model stage reads instead of raw syntax."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import fields, is_dataclass
from typing import TYPE_CHECKING

from arclint.core.document import Attribute, Block, GetAttr, Literal, Loc, Name, Text
from arclint.core.values import Unknown

if TYPE_CHECKING:
    from arclint.evaluate.expr import Evaluator

_MISSING = object()


class EvalBlock:
    """A block whose attributes are evaluated on first access, in a fixed environment."""

    def __init__(self, block: Block, evaluator: Evaluator, env: Mapping[str, object] | None = None) -> None:
        self.block = block
        self.evaluator = evaluator
        self.env = dict(env or {})
        self._cache: dict[str, object] = {}

    @property
    def type(self) -> str:
        """The block type (``resource``, ``provisioner``, ``source_image_reference``...)."""
        return self.block.type

    @property
    def labels(self) -> tuple[str, ...]:
        """The block labels."""
        return self.block.labels

    @property
    def loc(self) -> Loc:
        """Where the block is."""
        return self.block.loc

    def has(self, name: str) -> bool:
        """Whether the attribute (or a nested block of that name) is written."""
        return name in self.block.attributes or self.block.child(name) is not None

    def attribute(self, name: str) -> Attribute | None:
        """The attribute's syntax node, if written."""
        return self.block.attributes.get(name)

    def references(self, name: str) -> frozenset[str]:
        """Resources and data sources the attribute's expression names (``type.name``, ``data.type.name``),
        read from its syntax: a reference inside a string or ``jsonencode`` counts even when its value
        is known only after apply."""
        attr = self.block.attributes.get(name)
        return frozenset(_references(attr.expr)) if attr is not None else frozenset()

    def loc_of(self, name: str) -> Loc:
        """Where the attribute is written, else the block."""
        attr = self.block.attributes.get(name)
        if attr is not None:
            return attr.loc
        child = self.block.child(name)
        return child.loc if child is not None else self.block.loc

    def get(self, name: str, default: object = None) -> object:
        """Evaluate an attribute; a nested block of that name reads as a map."""
        cached = self._cache.get(name, _MISSING)
        if cached is not _MISSING:
            return cached
        attr = self.block.attributes.get(name)
        if attr is not None:
            value = self.evaluator.eval_attribute(attr, self.env)
        else:
            kids = self.children(name)
            if not kids:
                return default
            value = kids[0].as_dict() if len(kids) == 1 else [k.as_dict() for k in kids]
        self._cache[name] = value
        return value

    def as_dict(self) -> dict[str, object]:
        """Evaluate every attribute and nested block into plain data."""
        out: dict[str, object] = {name: self.get(name) for name in self.block.attributes}
        for child in self.block.blocks:
            if child.type not in out:
                out[child.type] = self.get(child.type)
        return out

    def children(self, block_type: str) -> list[EvalBlock]:
        """Nested blocks of one type, ``dynamic`` blocks expanded when their ``for_each`` is known."""
        out = [EvalBlock(b, self.evaluator, self.env) for b in self.block.children(block_type)]
        for dyn in self.block.children("dynamic"):
            if dyn.labels[:1] == (block_type,):
                out.extend(self._expand_dynamic(dyn))
        return out

    def child(self, block_type: str) -> EvalBlock | None:
        """The first nested block of one type."""
        kids = self.children(block_type)
        return kids[0] if kids else None

    def _expand_dynamic(self, dyn: Block) -> list[EvalBlock]:
        content = dyn.child("content")
        if content is None:
            return []
        iterator = dyn.labels[0]
        it_attr = dyn.attributes.get("iterator")
        if isinstance(it_attr, Attribute) and isinstance(it_attr.expr, Name):  # iterator = ext: a name, not evaluated
            iterator = it_attr.expr.name
        elif it_attr is not None:  # the quoted form older configurations use
            name = self.evaluator.eval_attribute(it_attr, self.env)
            iterator = name if isinstance(name, str) else iterator
        for_each = dyn.attributes.get("for_each")
        coll = (
            self.evaluator.eval_attribute(for_each, self.env)
            if for_each
            else Unknown(["dynamic block without for_each"])
        )
        if isinstance(coll, Unknown):
            env = dict(self.env)
            env[iterator] = {"key": coll, "value": coll}
            return [EvalBlock(content, self.evaluator, env)]
        pairs = coll.items() if isinstance(coll, dict) else enumerate(coll) if isinstance(coll, list) else []
        result = []
        for key, value in pairs:
            env = dict(self.env)
            env[iterator] = {"key": key, "value": value}
            result.append(EvalBlock(content, self.evaluator, env))
        return result


_NOT_RESOURCES = frozenset({"var", "local", "each", "count", "path", "module", "self", "terraform"})


def _references(node: object, depth: int = 0) -> Iterator[str]:
    """Walk an expression's syntax for ``type.name`` (and ``data.type.name``) references."""
    if depth > 200:
        return
    if isinstance(node, GetAttr):
        inner = node.source
        if isinstance(inner, GetAttr) and isinstance(inner.source, Name) and inner.source.name == "data":
            yield f"data.{inner.name}.{node.name}"
        elif isinstance(inner, Name) and inner.name not in _NOT_RESOURCES and inner.name != "data":
            yield f"{inner.name}.{node.name}"
    if isinstance(node, (tuple, list)):
        for item in node:
            yield from _references(item, depth + 1)
    elif is_dataclass(node) and not isinstance(node, (Name, Text, Literal)):
        for f in fields(node):
            yield from _references(getattr(node, f.name), depth + 1)
