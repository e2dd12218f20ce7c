"""Parse string templates (heredocs, ``templatefile`` files): ``${expr}`` and ``%{ directive }``."""
from __future__ import annotations

import re
from typing import Any

from arclint.document import TemplateFor, TemplateIf, TemplatePart, Text
from arclint.load.errors import LoadError

_DIRECTIVE_RE = re.compile(
    r"^~?\s*(?:(if)\s+(.*)|(else)|(endif)|(for)\s+([A-Za-z_][\w-]*)\s*(?:,\s*([A-Za-z_][\w-]*))?\s+in\s+(.*)|(endfor))\s*~?$",
    re.DOTALL,
)


def parse(text: str, path: str, line: int) -> tuple[TemplatePart, ...]:
    """Parse template ``text`` that starts at ``line`` of ``path``."""
    from arclint.load.hcl import parse_expression

    flat: list[Any] = []
    pos, n, buf_start, buf = 0, len(text), 0, []
    cur_line = line
    while pos < n:
        i = _next_opener(text, pos)
        if i < 0:
            break
        if text.startswith(("$${", "%%{"), i):
            buf.append(text[pos:i] + text[i + 1 : i + 3])
            pos = i + 3
            continue
        buf.append(text[pos:i])
        literal = "".join(buf)
        if literal:
            flat.append(Text(literal, line + text.count("\n", 0, buf_start), path))
        end = _closing_brace(text, i + 2)
        if end < 0:
            raise LoadError(path, line + text.count("\n", 0, i), "unclosed ${ or %{ in template")
        inner = text[i + 2 : end]
        at = line + text.count("\n", 0, i)
        if text[i] == "$":
            flat.append(parse_expression(inner.strip().strip("~").strip(), path, at))
        else:
            flat.append(_directive(inner, path, at))
        pos = buf_start = end + 1
        buf = []
    buf.append(text[pos:])
    literal = "".join(buf)
    if literal:
        flat.append(Text(literal, line + text.count("\n", 0, buf_start), path))
    del cur_line
    return assemble(flat, path, line)


def _next_opener(text: str, pos: int) -> int:
    a = text.find("${", pos)
    b = text.find("%{", pos)
    cands = [x for x in (a, b) if x >= 0]
    if not cands:
        return -1
    i = min(cands)
    if i > 0 and text[i - 1] in "$%" and text[i - 1] == text[i]:
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


def _directive(inner: str, path: str, line: int) -> tuple[str, Any]:
    from arclint.load.hcl import parse_expression

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
    out, rest = _collect(flat, 0, None, path, line)
    if rest != len(flat):
        raise LoadError(path, line, "unbalanced template directives")
    return tuple(out)


def _collect(flat: list[Any], i: int, until: tuple[str, ...] | None, path: str, line: int) -> tuple[list[Any], int]:
    out: list[Any] = []
    while i < len(flat):
        item = flat[i]
        if isinstance(item, tuple):
            kind, payload = item
            if until and kind in until:
                return out, i
            if kind == "if":
                then, i = _collect(flat, i + 1, ("else", "endif"), path, line)
                other: list[Any] = []
                if i < len(flat) and flat[i][0] == "else":
                    other, i = _collect(flat, i + 1, ("endif",), path, line)
                _expect(flat, i, "endif", path, line)
                out.append(TemplateIf(payload, tuple(then), tuple(other), line))
            elif kind == "for":
                names, coll = payload
                body, i = _collect(flat, i + 1, ("endfor",), path, line)
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
