"""Load JSON configurations with line numbers: HCL's JSON syntax (Terraform ``.tf.json``, Packer ``.pkr.json``)
and legacy Packer templates."""

from __future__ import annotations

import json
import json.decoder
import json.scanner
import re
from bisect import bisect_right
from typing import Any, cast

from arclint.core.document import (
    LEGACY_BUILD,
    Attribute,
    Block,
    Expr,
    GetAttr,
    Literal,
    Loc,
    Name,
    ObjectExpr,
    Template,
    Text,
    TupleExpr,
)
from arclint.core.errors import LoadError
from arclint.core.limits import MAX_JSON_NESTING
from arclint.core.stack import deep_stack
from arclint.load import template
from arclint.load.hcl import parse_template

_FRAMES_PER_LEVEL = 8  # Python frames the pure-Python JSON scanner uses per nesting level, with room to spare
_SURROGATE_RE = re.compile("[\ud800-\udfff]")


# the pure-Python decoder's building blocks, reused to record positions (undocumented, so not in the type stubs)
_JSON_OBJECT: Any = vars(json.decoder)["JSONObject"]
_JSON_ARRAY: Any = vars(json.decoder)["JSONArray"]
_SCAN_STRING: Any = vars(json.decoder)["scanstring"]


class PosDict(dict[str, Any]):
    """A JSON object that remembers the lines of itself and of each key.

    A key given more than once keeps its last value; ``repeated`` then holds every (key, value, line) in order
    (HCL's JSON syntax gives several blocks of one type that way).
    """

    line: int
    end_line: int
    key_lines: dict[str, int]
    repeated: list[tuple[str, Any, int]] | None = None


def clean_string(text: str) -> str:
    """A JSON string without lone surrogates (``"\\ud800"``): they cannot be printed or written."""
    return _SURROGATE_RE.sub("\ufffd", text) if _SURROGATE_RE.search(text) else text


def refuse_constant(name: str) -> Any:
    """``parse_constant`` for the JSON decoder: ``NaN`` and ``Infinity`` are not JSON."""
    raise ValueError(f"{name} is not a JSON value")


def parse_json(text: str, path: str) -> Any:
    """Parse JSON, keeping line numbers on objects; errors become ``LoadError`` at their line.

    Bounded: objects and arrays nested deeper than ``MAX_JSON_NESTING`` are a ``LoadError`` at their line;
    integers longer than ``MAX_NUMBER_DIGITS`` digits and overflowing numbers load as unknowns.
    """
    from arclint.core.values import parse_float, parse_int

    if not text.strip():
        raise LoadError(path, 1, "empty file: no JSON value")
    starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def line_at(pos: int) -> int:
        return bisect_right(starts, pos)

    depth = [0]

    def enter(start: int) -> None:
        depth[0] += 1
        if depth[0] > MAX_JSON_NESTING:
            raise LoadError(
                path, line_at(start), f"JSON nested deeper than arclint's limit of {MAX_JSON_NESTING} levels"
            )

    def parse_object(
        s_and_end: tuple[str, int], strict: bool, scan_once: Any, hook: Any, pairs_hook: Any, memo: Any = None
    ) -> tuple[PosDict, int]:
        s, start = s_and_end
        value_starts: list[int] = []

        def scan_value(s: str, idx: int) -> Any:
            value_starts.append(idx)
            return scan_once(s, idx)

        enter(start - 1)
        try:
            pairs, end = _JSON_OBJECT(s_and_end, strict, scan_value, None, lambda p: p, memo)
        finally:
            depth[0] -= 1
        obj = PosDict((clean_string(k), v) for k, v in pairs)
        obj.line, obj.end_line = line_at(start - 1), line_at(end - 1)
        obj.key_lines = {}
        lines = []
        for (key, _), at in zip(pairs, value_starts, strict=False):
            colon = s.rfind(":", start, at)
            quote = s.rfind('"', start, colon) if colon >= 0 else -1
            lines.append(line_at(quote if quote >= 0 else start))
            obj.key_lines[clean_string(key)] = lines[-1]
        if len(obj) < len(pairs):
            obj.repeated = [(clean_string(k), v, ln) for (k, v), ln in zip(pairs, lines, strict=False)]
        return obj, end

    def parse_array(s_and_end: tuple[str, int], scan_once: Any) -> tuple[list[Any], int]:
        enter(s_and_end[1] - 1)
        try:
            return cast("tuple[list[Any], int]", _JSON_ARRAY(s_and_end, scan_once))
        finally:
            depth[0] -= 1

    def parse_string(s: str, end: int, strict: bool = True) -> tuple[str, int]:
        value, end = _SCAN_STRING(s, end, strict)
        return clean_string(value), end

    decoder = json.JSONDecoder(parse_int=parse_int, parse_float=parse_float, parse_constant=refuse_constant)
    # the pure-Python scanner reads these hooks; the type stubs do not declare them
    decoder.parse_object = parse_object  # type: ignore[attr-defined]
    decoder.parse_array = parse_array  # type: ignore[attr-defined]
    decoder.parse_string = parse_string  # type: ignore[attr-defined]
    decoder.scan_once = json.scanner.py_make_scanner(decoder)  # type: ignore[attr-defined]
    try:
        with deep_stack(MAX_JSON_NESTING * _FRAMES_PER_LEVEL + 200):
            return decoder.decode(text)
    except json.JSONDecodeError as exc:
        raise LoadError(path, exc.lineno, f"invalid JSON: {exc.msg}") from None
    except ValueError as exc:
        raise LoadError(path, 1, f"invalid JSON: {exc}") from None
    except RecursionError:  # a last resort: the explicit depth count ends deep input first
        raise LoadError(path, 1, f"JSON nested deeper than arclint's limit of {MAX_JSON_NESTING} levels") from None


# --- values -> expressions -----------------------------------------------------------


def _expr(value: Any, path: str, line: int, go_template: bool) -> Expr:
    if isinstance(value, PosDict):
        items = tuple(
            (Literal(k, value.key_lines.get(k, line)), _expr(v, path, value.key_lines.get(k, line), go_template))
            for k, v in value.items()
        )
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
        return (
            Literal(value, line) if "\n" not in value else Template(template.one_line((Text(value, line, path),)), line)
        )
    try:
        return Template(template.one_line(parse_template(value, path, line), line), line)
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


# HCL's JSON syntax needs the schema to tell blocks from attributes: block type -> (number of labels, the
# schema of its body: ``None`` where nested blocks are guessed from the JSON's shape, ``{}`` for attributes only)
Schema = dict[str, tuple[int, "Schema | None"]]
TERRAFORM: Schema = {
    "resource": (2, None),
    "data": (2, None),
    "module": (1, None),
    "output": (1, None),
    "provider": (1, None),
    "variable": (1, {}),
    "locals": (0, {}),
    "terraform": (0, None),
}
_PACKER_POST_PROCESSORS: Schema = {"post-processor": (1, None)}
_PACKER_BUILD: Schema = {
    "source": (1, None),
    "provisioner": (1, None),
    "error-cleanup-provisioner": (1, None),
    "post-processor": (1, None),
    "post-processors": (0, _PACKER_POST_PROCESSORS),
    "hcp_packer_registry": (0, None),
}
PACKER: Schema = {
    "source": (2, None),
    "data": (2, None),
    "variable": (1, {}),
    "local": (1, {}),
    "locals": (0, {}),
    "build": (0, _PACKER_BUILD),
    "packer": (0, None),
}
_NOT_BLOCKS = ("tags", "labels", "metadata", "variables", "environment_vars")  # object attributes, never blocks
_COMMENT = "//"  # HCL's JSON syntax: a property named "//" is a comment


def _pairs(obj: PosDict) -> list[tuple[str, Any, int]]:
    """Each (key, value, line) of an object, a repeated key as often as it is given; comments left out."""
    pairs = obj.repeated or [(k, v, obj.key_lines.get(k, obj.line)) for k, v in obj.items()]
    return [p for p in pairs if p[0] != _COMMENT]


def _block(
    btype: str,
    labels: tuple[str, ...],
    body: Any,
    path: str,
    line: int,
    *,
    go: bool = False,
    schema: Schema | None = None,
) -> Block:
    """Turn a JSON object into a block; nested blocks by ``schema``, or guessed: objects and lists of objects."""
    attrs: dict[str, Attribute] = {}
    blocks: list[Block] = []
    end = getattr(body, "end_line", line)
    if isinstance(body, PosDict):
        for key, value, kline in _pairs(body):
            if schema is not None and key in schema:
                blocks.extend(_labelled(key, *schema[key], value, path, kline))
                continue
            if schema is None and key not in _NOT_BLOCKS and block_like(value):
                for item in value if isinstance(value, list) else [value]:
                    blocks.append(_block(key, (), item, path, getattr(item, "line", kline), go=go))
            attrs[key] = Attribute(
                key, _expr(value, path, kline, go), Loc(path, kline, getattr(value, "end_line", kline))
            )
    return Block(btype, labels, attrs, tuple(blocks), Loc(path, line, end))


def _labelled(
    btype: str, count: int, schema: Schema | None, value: Any, path: str, line: int, labels: tuple[str, ...] = ()
) -> list[Block]:
    """The blocks of one type: one object level per label (``{"label": {...}}``); a list at any level gives several."""
    if len(labels) == count:
        return [_block(btype, labels, b, path, getattr(b, "line", line), schema=schema) for b in _items(value)]
    out: list[Block] = []
    for item in _items(value):
        if isinstance(item, PosDict):
            for label, inner, kline in _pairs(item):
                out.extend(_labelled(btype, count, schema, inner, path, kline, (*labels, label)))
    return out


def block_like(value: Any, mapping: type[dict[str, Any]] = PosDict) -> bool:
    """Whether a JSON value reads as nested blocks: an object, or a list of objects (of type ``mapping``)."""
    if isinstance(value, mapping):
        return True
    return isinstance(value, list) and bool(value) and all(isinstance(v, mapping) for v in value)


def _items(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def hcl_json(data: Any, path: str, schema: Schema, what: str) -> Block:
    """Build the neutral body of a file in HCL's JSON syntax (``what`` names the file kind in errors)."""
    if not isinstance(data, PosDict):
        raise LoadError(path, 1, f"a {what} file must hold a JSON object")
    blocks = [
        b for key, value, line in _pairs(data) if key in schema for b in _labelled(key, *schema[key], value, path, line)
    ]
    return Block("", (), {}, tuple(blocks), Loc(path, 1, getattr(data, "end_line", 1)))


def terraform_json(data: Any, path: str) -> Block:
    """Build the neutral body of a ``.tf.json`` file."""
    return hcl_json(data, path, TERRAFORM, ".tf.json")


def packer_hcl_json(data: Any, path: str) -> Block:
    """Build the neutral body of a Packer HCL2 template in JSON syntax (``.pkr.json`` without ``builders``)."""
    return hcl_json(data, path, PACKER, ".pkr.json")


def is_packer_hcl_json(data: Any) -> bool:
    """Whether parsed JSON is an HCL2 Packer template: top-level blocks and no legacy ``builders``."""
    return isinstance(data, dict) and "builders" not in data and any(key in PACKER for key in data)


def tfvars_json(data: Any, path: str) -> Block:
    """Build the neutral body of a ``.tfvars.json`` file (attributes only)."""
    if not isinstance(data, PosDict):
        raise LoadError(path, 1, "a .tfvars.json file must hold a JSON object")
    return _block("", (), data, path, 1, schema={})


def packer_json(data: Any, path: str) -> Block:
    """Build the neutral body of a legacy Packer JSON template: sources and one build."""
    blocks: list[Block] = []
    variables = data.get("variables") if isinstance(data.get("variables"), PosDict) else PosDict()
    for name, default in variables.items():
        line = variables.key_lines.get(name, 1)
        default_expr = _expr(default, path, line, True)
        blocks.append(
            Block(
                "variable",
                (name,),
                {"default": Attribute("default", default_expr, Loc(path, line, line))},
                (),
                Loc(path, line, line),
            )
        )
    names: dict[str, str] = {}
    sources: list[str] = []
    for builder in _items(data.get("builders", [])):
        if not isinstance(builder, PosDict) or not isinstance(builder.get("type"), str):
            continue
        btype = builder["type"]
        bname: str = builder["name"] if isinstance(builder.get("name"), str) else btype
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
    blocks.append(
        Block(
            "build",
            (LEGACY_BUILD,),
            {"sources": src_attr},
            tuple(provs),
            Loc(path, getattr(data, "line", 1), getattr(data, "end_line", 1)),
        )
    )
    return Block("", (), {}, tuple(blocks), Loc(path, 1, getattr(data, "end_line", 1)))
