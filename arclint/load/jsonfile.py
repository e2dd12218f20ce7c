"""Load JSON configurations with line numbers: Terraform ``.tf.json`` and legacy Packer templates."""
from __future__ import annotations

import json
import json.decoder
import json.scanner
import re
from bisect import bisect_right
from typing import Any

from arclint.document import LEGACY_BUILD, Attribute, Block, Expr, GetAttr, Literal, Loc, Name, ObjectExpr, Template, Text, TupleExpr
from arclint.load import template
from arclint.load.errors import LoadError
from arclint.load.stack import deep_stack

MAX_DEPTH = 500
_FRAMES_PER_LEVEL = 8  # Python frames the pure-Python JSON scanner uses per nesting level, with room to spare
_SURROGATE_RE = re.compile("[\ud800-\udfff]")


class PosDict(dict):  # type: ignore[type-arg]
    """A JSON object that remembers the lines of itself and of each key."""

    line: int
    end_line: int
    key_lines: dict[str, int]


def _clean(text: str) -> str:
    """A JSON string without lone surrogates (``"\\ud800"``): they cannot be printed or written."""
    return _SURROGATE_RE.sub("\ufffd", text) if _SURROGATE_RE.search(text) else text


def _constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON value")


def parse_json(text: str, path: str) -> Any:
    """Parse JSON, keeping line numbers on objects; errors become ``LoadError`` at their line.

    Bounded: objects and arrays nested deeper than ``MAX_DEPTH`` are a ``LoadError`` at their line;
    integers longer than ``MAX_NUMBER_DIGITS`` digits and overflowing numbers load as unknowns.
    """
    from arclint.evaluate.values import parse_float, parse_int

    if not text.strip():
        raise LoadError(path, 1, "empty file: no JSON value")
    starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def line_at(pos: int) -> int:
        return bisect_right(starts, pos)

    depth = [0]

    def enter(start: int) -> None:
        depth[0] += 1
        if depth[0] > MAX_DEPTH:
            raise LoadError(path, line_at(start), f"JSON nested deeper than arclint's limit of {MAX_DEPTH} levels")

    def parse_object(s_and_end: tuple[str, int], strict: bool, scan_once: Any, hook: Any, pairs_hook: Any, memo: Any = None) -> tuple[PosDict, int]:
        s, start = s_and_end
        value_starts: list[int] = []

        def scan_value(s: str, idx: int) -> Any:
            value_starts.append(idx)
            return scan_once(s, idx)

        enter(start - 1)
        try:
            pairs, end = json.decoder.JSONObject(s_and_end, strict, scan_value, None, lambda p: p, memo)
        finally:
            depth[0] -= 1
        obj = PosDict((_clean(k), v) for k, v in pairs)
        obj.line, obj.end_line = line_at(start - 1), line_at(end - 1)
        obj.key_lines = {}
        for (key, _), at in zip(pairs, value_starts):
            colon = s.rfind(":", start, at)
            quote = s.rfind('"', start, colon) if colon >= 0 else -1
            obj.key_lines[_clean(key)] = line_at(quote if quote >= 0 else start)
        return obj, end

    def parse_array(s_and_end: tuple[str, int], scan_once: Any) -> tuple[list[Any], int]:
        enter(s_and_end[1] - 1)
        try:
            return json.decoder.JSONArray(s_and_end, scan_once)  # type: ignore[no-any-return]
        finally:
            depth[0] -= 1

    def parse_string(s: str, end: int, strict: bool = True) -> tuple[str, int]:
        value, end = json.decoder.scanstring(s, end, strict)
        return _clean(value), end

    decoder = json.JSONDecoder(parse_int=parse_int, parse_float=parse_float, parse_constant=_constant)
    decoder.parse_object = parse_object  # type: ignore[assignment]
    decoder.parse_array = parse_array  # type: ignore[assignment]
    decoder.parse_string = parse_string  # type: ignore[assignment]
    decoder.scan_once = json.scanner.py_make_scanner(decoder)  # type: ignore[attr-defined]
    try:
        with deep_stack(MAX_DEPTH * _FRAMES_PER_LEVEL + 200):
            return decoder.decode(text)
    except json.JSONDecodeError as exc:
        raise LoadError(path, exc.lineno, f"invalid JSON: {exc.msg}") from None
    except ValueError as exc:
        raise LoadError(path, 1, f"invalid JSON: {exc}") from None
    except RecursionError:  # a last resort: the explicit depth count ends deep input first
        raise LoadError(path, 1, f"JSON nested deeper than arclint's limit of {MAX_DEPTH} levels") from None


# --- values -> expressions -----------------------------------------------------------


def _expr(value: Any, path: str, line: int, go_template: bool) -> Expr:
    if isinstance(value, PosDict):
        items = tuple((Literal(k, value.key_lines.get(k, line)), _expr(v, path, value.key_lines.get(k, line), go_template)) for k, v in value.items())
        return ObjectExpr(items, value.line)
    if isinstance(value, list):
        return TupleExpr(tuple(_expr(v, path, line, go_template) for v in value), line)
    if isinstance(value, str):
        return _string(value, path, line, go_template)
    return Literal(value, line)


# one way to match each text (no two blank runs side by side): blanks inside ``{{ }}`` cost linear time
_GO_RE = re.compile(r"\{\{\s*(?:(user|template_dir|env|build_name|build_type)\s*)?(?:`([^`]*)`\s*)?\}\}")


def _string(value: str, path: str, line: int, go_template: bool) -> Expr:
    if go_template:
        return _go_string(value, path, line)
    if "${" not in value and "%{" not in value:
        return Literal(value, line) if "\n" not in value else Template(template.one_line((Text(value, line, path),)), line)
    try:
        return Template(template.one_line(template.parse(value, path, line), line), line)
    except LoadError:
        return Literal(value, line)


def _go_string(value: str, path: str, line: int) -> Expr:
    """Translate legacy Packer ``{{user `x`}}`` templates into references."""
    if "{{" not in value:
        return Literal(value, line)
    parts: list[Any] = []
    pos = 0
    for m in _GO_RE.finditer(value):
        if m.start() > pos:
            parts.append(Text(value[pos : m.start()], line, path))
        fn, arg = m.group(1), m.group(2)
        if fn == "user" and arg:
            parts.append(GetAttr(Name("var", line), arg, line))
        elif fn == "template_dir":
            parts.append(GetAttr(Name("path", line), "root", line))
        elif fn == "build_name":
            parts.append(GetAttr(Name("source", line), "name", line))
        elif fn == "build_type":
            parts.append(GetAttr(Name("source", line), "type", line))
        else:
            parts.append(GetAttr(Name("packer", line), m.group(0), line))
        pos = m.end()
    if pos < len(value):
        parts.append(Text(value[pos:], line, path))
    return Template(template.one_line(tuple(parts), line), line)


def _block(btype: str, labels: tuple[str, ...], body: Any, path: str, line: int, *, go: bool = False, nested: bool = True) -> Block:
    """Turn a JSON object into a block: objects and lists of objects become nested blocks too."""
    attrs: dict[str, Attribute] = {}
    blocks: list[Block] = []
    end = getattr(body, "end_line", line)
    if isinstance(body, PosDict):
        for key, value in body.items():
            kline = body.key_lines.get(key, line)
            if nested and key not in ("tags", "labels", "metadata", "variables", "environment_vars") and _block_like(value):
                for item in value if isinstance(value, list) else [value]:
                    blocks.append(_block(key, (), item, path, getattr(item, "line", kline), go=go))
            attrs[key] = Attribute(key, _expr(value, path, kline, go), Loc(path, kline, getattr(value, "end_line", kline)))
    return Block(btype, labels, attrs, tuple(blocks), Loc(path, line, end))


def _block_like(value: Any) -> bool:
    if isinstance(value, PosDict):
        return True
    return isinstance(value, list) and bool(value) and all(isinstance(v, PosDict) for v in value)


def _items(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def terraform_json(data: Any, path: str) -> Block:
    """Build the neutral body of a ``.tf.json`` file."""
    if not isinstance(data, PosDict):
        raise LoadError(path, 1, "a .tf.json file must hold a JSON object")
    blocks: list[Block] = []
    for kind, section in data.items():
        line = data.key_lines.get(kind, 1)
        if kind in ("resource", "data") and isinstance(section, PosDict):
            for rtype, named in section.items():
                for item in _items(named):
                    if isinstance(item, PosDict):
                        for name, body in item.items():
                            for b in _items(body):
                                blocks.append(_block(kind, (rtype, name), b, path, getattr(b, "line", item.key_lines.get(name, line))))
        elif kind in ("variable", "module", "output", "provider") and isinstance(section, PosDict):
            for name, body in section.items():
                for b in _items(body):
                    blocks.append(_block(kind, (name,), b, path, getattr(b, "line", section.key_lines.get(name, line)), nested=kind != "variable"))
        elif kind in ("locals", "terraform"):
            for b in _items(section):
                blocks.append(_block(kind, (), b, path, getattr(b, "line", line), nested=kind == "terraform"))
    return Block("", (), {}, tuple(blocks), Loc(path, 1, getattr(data, "end_line", 1)))


def tfvars_json(data: Any, path: str) -> Block:
    """Build the neutral body of a ``.tfvars.json`` file (attributes only)."""
    if not isinstance(data, PosDict):
        raise LoadError(path, 1, "a .tfvars.json file must hold a JSON object")
    return _block("", (), data, path, 1, nested=False)


def packer_json(data: Any, path: str) -> Block:
    """Build the neutral body of a legacy Packer JSON template: sources and one build."""
    blocks: list[Block] = []
    variables = data.get("variables") if isinstance(data.get("variables"), PosDict) else PosDict()
    for name, default in variables.items():
        line = variables.key_lines.get(name, 1)
        default_expr = _expr(default, path, line, True)
        blocks.append(Block("variable", (name,), {"default": Attribute("default", default_expr, Loc(path, line, line))}, (), Loc(path, line, line)))
    names: dict[str, str] = {}
    sources: list[str] = []
    for builder in _items(data.get("builders", [])):
        if not isinstance(builder, PosDict) or not isinstance(builder.get("type"), str):
            continue
        btype = builder["type"]
        bname = builder.get("name") if isinstance(builder.get("name"), str) else btype
        names[bname] = f"{btype}.{bname}"
        sources.append(f"source.{btype}.{bname}")
        blocks.append(_block("source", (btype, bname), builder, path, builder.line, go=True))
    provs: list[Block] = []
    for prov in _items(data.get("provisioners", [])):
        if isinstance(prov, PosDict) and isinstance(prov.get("type"), str):
            for key in ("only", "except"):
                if isinstance(prov.get(key), list):
                    prov[key] = [names.get(n, n) for n in prov[key]]
            provs.append(_block("provisioner", (prov["type"],), prov, path, prov.line, go=True))
    src_attr = Attribute("sources", TupleExpr(tuple(Literal(s, 1) for s in sources), 1), Loc(path, 1, 1))
    blocks.append(Block("build", (LEGACY_BUILD,), {"sources": src_attr}, tuple(provs), Loc(path, getattr(data, "line", 1), getattr(data, "end_line", 1))))
    return Block("", (), {}, tuple(blocks), Loc(path, 1, getattr(data, "end_line", 1)))
