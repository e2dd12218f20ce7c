"""Values the evaluator produces: plain Python data, plus unknowns and traced text.

- ``Unknown`` is a value that cannot be known before deployment; it says why and how to
  make it known, and which resources or data sources it refers to.
- ``Traced`` is a string that remembers the file and line each part of it came from, so a
  script line found inside a rendered template points at the template's own line.
- ``Encoded`` is the result of ``base64encode``: its text is the real base64, and
  ``inner`` is what was encoded, so scripts stay readable.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from collections.abc import Iterable
from typing import NamedTuple

from arclint.core.limits import MAX_NODES, MAX_NUMBER_DIGITS, MAX_STRING

_NUMBER_BOUND = 10**MAX_NUMBER_DIGITS
_NEWLINE = re.compile("\n")


class BadArgument(TypeError, ValueError):
    """A value Terraform itself would reject where it is used (a list as a string, text as a number, a
    function called with the wrong arguments): the user's mistake, so the result is an unknown.

    Function calls catch only this (``Evaluator._call``); any other exception is a bug in arclint and
    propagates (the scan ends with an internal error naming the file).
    """


class Unknown:
    """A value that cannot be known from the configuration alone."""

    __slots__ = ("reasons", "refs")

    def __init__(self, reasons: Iterable[str] = (), refs: Iterable[str] = ()) -> None:
        self.reasons: tuple[str, ...] = tuple(dict.fromkeys(reasons))
        self.refs: frozenset[str] = frozenset(refs)

    def __repr__(self) -> str:
        return f"Unknown({'; '.join(self.reasons)})"

    def __bool__(self) -> bool:
        return False

    @staticmethod
    def merge(values: Iterable[object]) -> Unknown:
        """Combine the reasons and references of every unknown among ``values``."""
        reasons: list[str] = []
        refs: set[str] = set()
        for v in values:
            if isinstance(v, Unknown):
                reasons.extend(v.reasons)
                refs |= v.refs
        return Unknown(reasons, refs)


class SetUnknown(Unknown):
    """A value known to be set (not null) whose content is unknown: an input switch explored as set.

    ``x == null`` is false and ``x != null`` true; anything read from it (an attribute, an index) is a
    plain unknown, since a part of a set object may still be null.
    """

    __slots__ = ()


class Span(NamedTuple):
    """From character ``offset`` on, text comes from ``file`` starting at ``line`` (0 = unknown).

    ``refs``: an unknown part (rendered ``${?}``) keeps the resources its value refers to.
    """

    offset: int
    file: str
    line: int
    refs: frozenset[str] = frozenset()


class Traced(str):
    """A string that knows which file and line each of its parts came from."""

    spans: tuple[Span, ...]
    unknown: tuple[str, ...]

    def __new__(cls, text: str, spans: Iterable[Span] = (), unknown: Iterable[str] = ()) -> Traced:
        obj = super().__new__(cls, text)
        obj.spans = tuple(spans)
        obj.unknown = tuple(unknown)
        return obj

    @classmethod
    def from_file(cls, text: str, file: str, line: int = 1) -> Traced:
        """Text read whole from ``file`` (or starting at ``line`` of it)."""
        return cls(text, (Span(0, file, line),))

    def refs_in(self, start: int, end: int) -> frozenset[str]:
        """The resources referred to by the unknown parts (``${?}``) that start between ``start`` and ``end``."""
        out: set[str] = set()
        for s in self.spans:
            if start <= s.offset < end and s.refs:
                out |= s.refs
        return frozenset(out)

    def origin(self, offset: int) -> tuple[str, int] | None:
        """Return (file, line) of the character at ``offset``, if it is known."""
        if not self.spans:
            return None
        offsets = self.__dict__.get("_offsets")
        if offsets is None:  # computed once: a long script asks for the origin of each of its lines
            offsets = self.__dict__["_offsets"] = [s.offset for s in self.spans]
        idx = bisect_right(offsets, offset) - 1
        if idx < 0:
            return None
        span = self.spans[idx]
        if not span.file:
            return None
        if offset - span.offset < 4096:
            return span.file, span.line + self.count("\n", span.offset, offset)
        newlines = self.__dict__.get("_newlines")
        if newlines is None:  # computed once: counting from the span's start for each line is quadratic
            newlines = self.__dict__["_newlines"] = [m.start() for m in _NEWLINE.finditer(self)]
        return span.file, span.line + bisect_right(newlines, offset - 1) - bisect_right(newlines, span.offset - 1)


class Encoded(str):
    """A base64 string that remembers the value it encodes."""

    inner: object

    def __new__(cls, text: str, inner: object) -> Encoded:
        obj = super().__new__(cls, text)
        obj.inner = inner
        return obj


def concat(parts: Iterable[object]) -> str | Unknown:
    """Join strings, keeping the origin of traced parts and the reasons of unknown ones.

    An unknown part is rendered as ``${?}`` so the surrounding script stays scannable; when nothing
    but unknown parts (and blanks) are joined, the result is unknown.
    """
    parts_list = [
        _not_text(p) if isinstance(p, (list, dict)) else p for p in parts
    ]  # as Terraform: no lists in strings
    out: list[str] = []
    spans: list[Span] = []
    unknown: list[str] = []
    offset = 0
    traced = False
    for part in parts_list:
        if isinstance(part, Unknown):
            text = "${?}"
            unknown.extend(part.reasons)
            spans.append(Span(offset, "", 0, part.refs))
        else:
            text = part if isinstance(part, str) else to_text(part)
            if isinstance(part, Traced):
                traced = True
                unknown.extend(part.unknown)
                spans.extend(Span(s.offset + offset, s.file, s.line, s.refs) for s in part.spans)
                if not part.spans:
                    spans.append(Span(offset, "", 0))
            else:
                spans.append(Span(offset, "", 0))
        out.append(text)
        offset += len(text)
        if offset > MAX_STRING:
            return Unknown([f"string longer than arclint's limit of {MAX_STRING // 1048576} MB; not evaluated"])
    if unknown and all(isinstance(p, Unknown) or (isinstance(p, str) and not p.strip()) for p in parts_list):
        return Unknown.merge(parts_list)  # nothing known but the unknowns: the whole value is unknown
    joined = "".join(out)
    if traced or unknown or any(s.refs for s in spans):
        return Traced(joined, _compact(spans), unknown)
    return joined


def _not_text(value: list[object] | dict[str, object]) -> Unknown:
    return Unknown([f"a {'list' if isinstance(value, list) else 'map'} cannot be joined into a string"])


def _compact(spans: list[Span]) -> list[Span]:
    result: list[Span] = []
    for s in spans:
        if result and result[-1].offset == s.offset:
            result[-1] = s
        elif s.refs or not (result and not result[-1].file and not s.file):
            result.append(s)
    return result


def to_text(value: object) -> str:
    """Render a known primitive the way Terraform converts it to a string (a list or map is a ``BadArgument``)."""
    if isinstance(value, (list, dict)):
        raise BadArgument(f"a {'list' if isinstance(value, list) else 'map'} is not a string")
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def number_problem(value: object) -> str | None:
    """Why a number is beyond what arclint evaluates: too many digits, infinite or NaN; None when fine."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        if -_NUMBER_BOUND < value < _NUMBER_BOUND:
            return None
        return f"a number with more than {MAX_NUMBER_DIGITS} digits is beyond arclint's limit; not evaluated"
    if isinstance(value, float) and not math.isfinite(value):
        return f"the number {value} (an overflow, infinite or not a number) is beyond arclint's limit; not evaluated"
    return None


def parse_int(text: str) -> int | Unknown:
    """An integer literal, or an unknown when it has more than ``MAX_NUMBER_DIGITS`` digits.

    Raises ``BadArgument`` when ``text`` is not an integer."""
    if len(text.lstrip("+-")) > MAX_NUMBER_DIGITS:
        return Unknown([f"a number with more than {MAX_NUMBER_DIGITS} digits is beyond arclint's limit; not evaluated"])
    try:
        return int(text)
    except ValueError:
        raise BadArgument(f"{text[:40]!r} is not a number") from None


def parse_float(text: str) -> float | Unknown:
    """A decimal literal, or an unknown when it overflows (``1e999``) (``BadArgument`` if not one)."""
    try:
        value = float(text)
    except ValueError:
        raise BadArgument(f"{text[:40]!r} is not a number") from None
    problem = number_problem(value)
    return Unknown([problem]) if problem else value


def too_big(value: object) -> bool:
    """Whether a value has more than ``MAX_NODES`` parts (shared parts counted each time).

    Counting stops at the limit, so the check itself is bounded: a list that holds itself twice at each
    of 60 levels is found too big after ``MAX_NODES`` steps, not 2**60.
    """
    stack, seen = [value], 0
    while stack:
        item = stack.pop()
        seen += 1
        if seen > MAX_NODES:
            return True
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False
