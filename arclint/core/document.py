"""The neutral document every loader produces: blocks, attributes and expressions with locations.

Nothing here knows about python-hcl2 or JSON; the evaluator reads only these types.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from pathlib import Path

LEGACY_BUILD = "__legacy__"  # label of the implicit build of a legacy Packer JSON template


@dataclass(frozen=True, slots=True)
class Loc:
    """A place in a scanned file (lines are 1-based)."""

    file: str
    line: int
    end_line: int


# --- expressions -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Literal:
    """A constant: string, number, bool or null."""

    value: object
    line: int


@dataclass(frozen=True, slots=True)
class Template:
    """A string template: literal text and interpolated expressions, with directives.

    ``parts`` holds ``str`` for literal text (with the line it starts on) and
    expression nodes for ``${...}``; ``TemplateIf``/``TemplateFor`` for ``%{...}``.
    """

    parts: tuple[TemplatePart, ...]
    line: int


@dataclass(frozen=True, slots=True)
class Text:
    """Literal template text starting at ``line`` of ``file``."""

    text: str
    line: int
    file: str


@dataclass(frozen=True, slots=True)
class TemplateIf:
    """``%{ if cond }...%{ else }...%{ endif }`` inside a template."""

    cond: Expr
    then: tuple[TemplatePart, ...]
    other: tuple[TemplatePart, ...]
    line: int


@dataclass(frozen=True, slots=True)
class TemplateFor:
    """``%{ for k, v in coll }...%{ endfor }`` inside a template."""

    key_var: str | None
    value_var: str
    collection: Expr
    body: tuple[TemplatePart, ...]
    line: int


@dataclass(frozen=True, slots=True)
class Name:
    """A bare identifier: ``var``, ``local``, ``each``, a for-expression variable."""

    name: str
    line: int


@dataclass(frozen=True, slots=True)
class GetAttr:
    """``source.name``."""

    source: Expr
    name: str
    line: int


@dataclass(frozen=True, slots=True)
class Index:
    """``source[key]``."""

    source: Expr
    key: Expr
    line: int


@dataclass(frozen=True, slots=True)
class Splat:
    """``source[*].a.b`` or ``source.*.a``: apply ``path`` to every element."""

    source: Expr
    path: tuple[str | Expr, ...]
    line: int


@dataclass(frozen=True, slots=True)
class Call:
    """A function call; ``expand`` is true when the last argument ends with ``...``."""

    name: str
    args: tuple[Expr, ...]
    expand: bool
    line: int


@dataclass(frozen=True, slots=True)
class TupleExpr:
    """``[a, b, c]``."""

    items: tuple[Expr, ...]
    line: int


@dataclass(frozen=True, slots=True)
class ObjectExpr:
    """``{ k = v, ... }``; keys are expressions (a bare word is a ``Literal``)."""

    items: tuple[tuple[Expr, Expr], ...]
    line: int


@dataclass(frozen=True, slots=True)
class Conditional:
    """``cond ? then : other``."""

    cond: Expr
    then: Expr
    other: Expr
    line: int


@dataclass(frozen=True, slots=True)
class BinaryOp:
    """``left op right``."""

    op: str
    left: Expr
    right: Expr
    line: int


@dataclass(frozen=True, slots=True)
class UnaryOp:
    """``-x`` or ``!x``."""

    op: str
    operand: Expr
    line: int


@dataclass(frozen=True, slots=True)
class ForExpr:
    """``[for k, v in coll : value if cond]`` or ``{for ... : key => value}``."""

    key_var: str | None
    value_var: str
    collection: Expr
    key: Expr | None
    value: Expr
    cond: Expr | None
    grouping: bool
    line: int


Expr = (
    Literal
    | Template
    | Name
    | GetAttr
    | Index
    | Splat
    | Call
    | TupleExpr
    | ObjectExpr
    | Conditional
    | BinaryOp
    | UnaryOp
    | ForExpr
)
TemplatePart = Text | TemplateIf | TemplateFor | Expr


# --- structure -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Attribute:
    """``name = expr`` with its location."""

    name: str
    expr: Expr
    loc: Loc


@dataclass(frozen=True, slots=True)
class Block:
    """A block (or the body of a file): type, labels, attributes and nested blocks."""

    type: str
    labels: tuple[str, ...]
    attributes: dict[str, Attribute]
    blocks: tuple[Block, ...]
    loc: Loc

    def children(self, block_type: str) -> tuple[Block, ...]:
        """Return the nested blocks of one type, in file order."""
        return tuple(b for b in self.blocks if b.type == block_type)

    def child(self, block_type: str) -> Block | None:
        """Return the first nested block of one type, if any."""
        for b in self.blocks:
            if b.type == block_type:
                return b
        return None


@dataclass(frozen=True, slots=True)
class Suppression:
    """An ``arclint:ignore`` comment: the rules it names (ids or names), its line and reason.

    ``covers``: the lines a finding may start at to be covered (the comment's line and the next one; in JSON also
    the object it is in); ``whole_file`` for ``arclint:ignore-file``. ``until``: the last day it holds.
    ``problem`` says why it can never apply (it names no rule, its ``until=`` is not a date).
    """

    rules: tuple[str, ...]
    line: int
    reason: str
    covers: tuple[int, ...]
    whole_file: bool = False
    until: datetime.date | None = None
    problem: str = ""


@dataclass(frozen=True, slots=True)
class Document:
    """One parsed file: the path users see, its kind, its top-level body and the folder it is in."""

    path: str
    kind: str
    body: Block
    folder: Path  # absolute: where its relative references (module sources, files) start
    suppressions: tuple[Suppression, ...] = field(default=())
    plan_resources: tuple[object, ...] = field(default=())  # a plan's PlanResource list (kind "plan")
