"""Parse string templates (heredocs, ``templatefile`` files): ``${expr}`` and ``%{ directive }``."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from arclint.core.document import Expr, TemplateFor, TemplateIf, TemplatePart, Text
from arclint.core.errors import LoadError
from arclint.core.limits import MAX_HCL_NESTING, MAX_TEMPLATE_PARTS

ExpressionParser = Callable[[str, str, int], Expr]  # (text, path, line): how ``${...}`` insides are parsed

_DIRECTIVE_RE = re.compile(
    r"^~?\s*(?:(if)\s+(.*)|(else)|(endif)|(for)\s+([^\W\d][\w-]*)\s*(?:,\s*([^\W\d][\w-]*))?\s+in\s+(.*)|(endfor))\s*~?$",
    re.DOTALL,
)


def parse(text: str, path: str, line: int, parse_expression: ExpressionParser) -> tuple[TemplatePart, ...]:
    """Parse template ``text`` that starts at ``line`` of ``path``, its expressions with ``parse_expression``.

    Linear in the text (lines are counted as the scan goes) and bounded: a template with more than
    ``MAX_TEMPLATE_PARTS`` interpolations and directives is a ``LoadError`` naming the limit.
    """
    flat: list[Any] = []
    pos, n, buf_start, buf = 0, len(text), 0, []
    line_at = _LineCounter(text, line)
    next_opener = _OpenerFinder(text)
    parts = 0
    while pos < n:
        i = next_opener(pos)
        if i < 0:
            break
        if text.startswith(("$${", "%%{"), i):
            buf.append(text[pos:i] + text[i + 1 : i + 3])
            pos = i + 3
            continue
        buf.append(text[pos:i])
        literal = "".join(buf)
        if literal:
            flat.append(Text(literal, line_at(buf_start), path))
        at = line_at(i)
        parts += 1
        if parts > MAX_TEMPLATE_PARTS:
            raise LoadError(
                path,
                at,
                f"template with more than {MAX_TEMPLATE_PARTS:,} interpolations and directives (arclint's limit);"
                " not parsed",
            )
        end = _closing_brace(text, i + 2)
        if end < 0:
            raise LoadError(path, at, "unclosed ${ or %{ in template")
        inner = text[i + 2 : end]
        if text[i] == "$":
            flat.append(parse_expression(inner.strip().strip("~").strip(), path, at))
        else:
            flat.append(_directive(inner, path, at, parse_expression))
        pos = buf_start = end + 1
        buf = []
    buf.append(text[pos:])
    literal = "".join(buf)
    if literal:
        flat.append(Text(literal, line_at(buf_start), path))
    return assemble(flat, path, line)


class _LineCounter:
    """The line of a position, for positions asked in increasing order (linear overall)."""

    def __init__(self, text: str, line: int) -> None:
        self.text, self.pos, self.line = text, 0, line

    def __call__(self, pos: int) -> int:
        if pos >= self.pos:
            self.line += self.text.count("\n", self.pos, pos)
            self.pos = pos
            return self.line
        return self.line - self.text.count("\n", pos, self.pos)


class _OpenerFinder:
    """The next ``${`` or ``%{`` at or after a position; each kind is searched once per occurrence."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.found = {"${": -1, "%{": -1}  # where each was last found (-1: not yet searched)
        self.done = {"${": False, "%{": False}  # no more of that kind

    def _next(self, token: str, pos: int) -> int:
        if self.done[token]:
            return -1
        at = self.found[token]
        if at < pos:
            at = self.text.find(token, pos)
            self.found[token] = at
            if at < 0:
                self.done[token] = True
        return at

    def __call__(self, pos: int) -> int:
        cands = [x for x in (self._next("${", pos), self._next("%{", pos)) if x >= 0]
        if not cands:
            return -1
        i = min(cands)
        if i > 0 and self.text[i - 1] in "$%" and self.text[i - 1] == self.text[i] and i - 1 >= pos:
            return i - 1
        return i


def _closing_brace(text: str, start: int) -> int:
    """Return the index of the ``}`` closing an interpolation opened before ``start``."""
    depth, i, n = 0, start, len(text)
    while i < n:
        c = text[i]
        if c == '"':
            i += 1
            while i < n and text[i] != '"':
                i += 2 if text[i] == "\\" else 1
        elif c == "{":
            depth += 1
        elif c == "}":
            if depth == 0:
                return i
            depth -= 1
        i += 1
    return -1


def _directive(inner: str, path: str, line: int, parse_expression: ExpressionParser) -> tuple[str, Any]:
    m = _DIRECTIVE_RE.match(inner.strip())
    if m is None:
        raise LoadError(path, line, f"unknown template directive %{{{inner.strip()[:30]}}}")
    if m.group(1):
        return ("if", parse_expression(m.group(2).rstrip("~ "), path, line))
    if m.group(3):
        return ("else", None)
    if m.group(4):
        return ("endif", None)
    if m.group(5):
        names = [m.group(6)] + ([m.group(7)] if m.group(7) else [])
        return ("for", (names, parse_expression(m.group(8).rstrip("~ "), path, line)))
    return ("endfor", None)


def assemble(flat: list[Any], path: str, line: int) -> tuple[TemplatePart, ...]:
    """Nest flat ``("if", cond)`` … ``("endif", None)`` markers into directive nodes."""
    out, rest = _collect(flat, 0, None, path, line, 0)
    if rest != len(flat):
        raise LoadError(path, line, "unbalanced template directives")
    return tuple(out)


def _collect(
    flat: list[Any], i: int, until: tuple[str, ...] | None, path: str, line: int, depth: int
) -> tuple[list[Any], int]:
    if depth > MAX_HCL_NESTING:
        raise LoadError(
            path, line, f"template directives nested deeper than arclint's limit of {MAX_HCL_NESTING} levels"
        )
    out: list[Any] = []
    while i < len(flat):
        item = flat[i]
        if isinstance(item, tuple):
            kind, payload = item
            if until and kind in until:
                return out, i
            if kind == "if":
                then, i = _collect(flat, i + 1, ("else", "endif"), path, line, depth + 1)
                other: list[Any] = []
                if i < len(flat) and flat[i][0] == "else":
                    other, i = _collect(flat, i + 1, ("endif",), path, line, depth + 1)
                _expect(flat, i, "endif", path, line)
                out.append(TemplateIf(payload, tuple(then), tuple(other), line))
            elif kind == "for":
                names, coll = payload
                body, i = _collect(flat, i + 1, ("endfor",), path, line, depth + 1)
                _expect(flat, i, "endfor", path, line)
                key_var, value_var = (names[0], names[1]) if len(names) == 2 else (None, names[0])
                out.append(TemplateFor(key_var, value_var, coll, tuple(body), line))
            else:
                raise LoadError(path, line, f"%{{{kind}}} without its opening directive")
        else:
            out.append(item)
        i += 1
    if until:
        raise LoadError(path, line, f"template directive not closed (expected %{{{until[-1]}}})")
    return out, i


def _expect(flat: list[Any], i: int, kind: str, path: str, line: int) -> None:
    if i >= len(flat) or flat[i][0] != kind:
        raise LoadError(path, line, f"template directive not closed (expected %{{{kind}}})")


def one_line(parts: tuple[TemplatePart, ...], line: int | None = None) -> tuple[TemplatePart, ...]:
    """Template parts of a string written on one physical line (a quoted HCL string, a JSON string).

    Its ``\\n`` escapes are newlines in the value but not in the file: each line of literal text is cut
    into its own ``Text`` at the line it is written on (``line``, or the text's own), so a script line
    found in it points into the file, never past its end.
    """
    out: list[TemplatePart] = []
    for part in parts:
        if isinstance(part, Text):
            at = part.line if line is None else line
            out.extend(Text(piece, at, part.file) for piece in _LINE_PIECES.findall(part.text))
        elif isinstance(part, TemplateIf):
            out.append(TemplateIf(part.cond, one_line(part.then, line), one_line(part.other, line), part.line))
        elif isinstance(part, TemplateFor):
            out.append(TemplateFor(part.key_var, part.value_var, part.collection, one_line(part.body, line), part.line))
        else:
            out.append(part)
    return tuple(out)


_LINE_PIECES = re.compile(r"[^\n]*\n|[^\n]+")
