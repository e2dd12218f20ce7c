"""The pure functions arclint evaluates (a whitelist), including those that carry scripts."""
from __future__ import annotations

import base64
import binascii
import json
import re
from pathlib import Path
from typing import Any, Callable

from arclint.evaluate.values import MAX_NODES, MAX_STRING, Encoded, Traced, Unknown, concat, parse_float, parse_int, to_text, too_big
from arclint.load.errors import LoadError

Function = Callable[..., object]


def _b64encode(value: object) -> object:
    text = value if isinstance(value, str) else to_text(value)
    return Encoded(base64.b64encode(text.encode("utf-8")).decode("ascii"), value)


def _b64decode(value: object) -> object:
    if isinstance(value, Encoded):
        return value.inner
    try:
        return base64.b64decode(str(value), validate=False).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError) as exc:
        return Unknown([f"base64decode() failed: {exc}"])


def _join(sep: object, items: object, *more: object) -> object:
    parts: list[object] = []
    for lst in (items, *more):
        if isinstance(lst, Unknown):
            return lst
        parts.extend(lst if isinstance(lst, list) else [lst])
    out: list[object] = []
    for i, p in enumerate(parts):
        if i:
            out.append(sep)
        out.append(p)
    return concat(out)


MAX_FORMAT_WIDTH = 10_000  # widths and precisions in format() verbs


def _format(fmt: object, *args: object) -> object:
    if isinstance(fmt, Unknown):
        return fmt
    text = str(fmt)
    out: list[object] = []
    i = argi = 0
    while i < len(text):
        c = text[i]
        if c != "%":
            j = text.find("%", i)
            j = len(text) if j < 0 else j
            out.append(text[i:j])
            i = j
            continue
        if text[i + 1 : i + 2] == "%":
            out.append("%")
            i += 2
            continue
        j = i + 1
        while j < len(text) and not text[j].isalpha():
            j += 1
        verb = text[j : j + 1]
        arg = args[argi] if argi < len(args) else Unknown(["format(): too few arguments"])
        argi += 1
        if isinstance(arg, Unknown) or verb in ("s", "v", "q"):
            out.append(arg if isinstance(arg, (str, Unknown)) else to_text(arg))
        else:
            spec = text[i + 1 : j + 1]
            if any(int(n) > MAX_FORMAT_WIDTH for n in re.findall(r"[0-9]+", spec)):
                raise ValueError(f"width or precision in %{spec} over arclint's limit of {MAX_FORMAT_WIDTH:,}")
            out.append(("%" + spec) % arg)
        i = j + 1
    return concat(out)


def _json_default(value: object) -> object:
    if isinstance(value, Unknown):
        return "${?}"
    return str(value)


_too_big = too_big


def _jsonencode(value: object) -> object:
    if _too_big(value):
        return Unknown([f"jsonencode(): value has more than {MAX_NODES:,} parts; not evaluated"])
    return json.dumps(value, separators=(",", ":"), default=_json_default)


def _yamlencode(value: object) -> object:
    import yaml

    if _too_big(value):
        return Unknown([f"yamlencode(): value has more than {MAX_NODES:,} parts; not evaluated"])
    return yaml.safe_dump(json.loads(json.dumps(value, default=_json_default)), sort_keys=False)


def parse_number(text: str) -> object:
    """A number from its text (``tonumber``), within the bounds of number literals."""
    text = text.strip()
    return parse_int(text) if re.fullmatch(r"[+-]?[0-9]+", text) else parse_float(text)


def _jsondecode(text: object) -> object:
    """Decode JSON with the loader's bounds (nesting, number sizes)."""
    from arclint.load.jsonfile import parse_json

    try:
        return parse_json(str(text), "<jsondecode>")
    except LoadError as exc:
        return Unknown([f"jsondecode(): {exc.message}"])


def _lookup(mapping: object, key: object, *default: object) -> object:
    if isinstance(mapping, dict) and str(key) in mapping:
        return mapping[str(key)]
    if default:
        return default[0]
    return Unknown([f"lookup(): no key {key!r}"])


def _coalesce(*args: object) -> object:
    for a in args:
        if isinstance(a, Unknown):
            return a
        if a is not None and a != "":
            return a
    return Unknown(["coalesce(): no non-null argument"])


def _merge(*maps: object) -> object:
    out: dict[str, object] = {}
    for m in maps:
        if isinstance(m, Unknown):
            return m
        if isinstance(m, dict):
            out.update(m)
    return out


def _concat(*lists: object) -> object:
    out: list[object] = []
    for lst in lists:
        if isinstance(lst, Unknown):
            return lst
        out.extend(lst if isinstance(lst, list) else [lst])
    return out


def _try(*args: object) -> object:
    for a in args:
        if not isinstance(a, Unknown):
            return a
    return Unknown.merge(args)


MAX_REGEX_TEXT = 16_384  # longest text a regular expression with one repetition is applied to
MAX_REGEX_TEXT_2 = 1_024  # ... with two repetitions (the work grows with the cube of the length)
MAX_REGEX_ALTERNATIVES = 64
_SINGLE_CHARACTER = frozenset({"LITERAL", "NOT_LITERAL", "ANY", "IN", "CATEGORY"})


def _regex_problem(pattern: str, text: str) -> str | None:
    """Why a regular expression is not applied: Python's ``re`` backtracks, so nested or several
    repetitions and many alternatives can take exponential time (Terraform's RE2 does not)."""
    try:
        from re import _parser as sre_parse  # type: ignore[attr-defined]
    except ImportError:  # Python 3.10
        import sre_parse

    repeats, complex_repeat, alternatives = 0, False, 1
    stack = [list(sre_parse.parse(pattern))]
    while stack:
        for op, av in stack.pop():
            name = str(op)
            if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
                repeats += 1
                body = list(av[2])
                complex_repeat = complex_repeat or len(body) != 1 or str(body[0][0]) not in _SINGLE_CHARACTER
                stack.append(body)
            elif name == "BRANCH":
                alternatives *= max(1, len(av[1]))
                stack.extend(list(alt) for alt in av[1])
            elif name == "SUBPATTERN":
                stack.append(list(av[-1]))
            elif name in ("ASSERT", "ASSERT_NOT"):
                stack.append(list(av[1]))
            elif name == "ATOMIC_GROUP":
                stack.append(list(av))
            elif name == "GROUPREF_EXISTS":
                stack.extend(list(p) for p in av[1:] if p is not None)
    if repeats > 2 or complex_repeat or alternatives > MAX_REGEX_ALTERNATIVES:
        return (
            "replace(): arclint evaluates regular expressions with at most two repetitions, each of a single character, "
            f"and {MAX_REGEX_ALTERNATIVES} alternatives (its limit; others can take exponential time)"
        )
    limit = MAX_REGEX_TEXT if repeats < 2 else MAX_REGEX_TEXT_2
    if repeats and len(text) > limit:
        return f"replace(): a regular expression with {repeats} repetition{'s' if repeats > 1 else ''} is applied to at most {limit:,} characters (arclint's limit)"
    return None


class _TooLong(Exception):
    pass


def _replace(text: object, old: object, new: object) -> object:
    s, o, n = str(text), str(old), str(new)
    if len(o) > 2 and o.startswith("/") and o.endswith("/"):
        from arclint.evaluate.expr import charge

        problem = _regex_problem(o[1:-1], s)
        if problem:
            return Unknown([problem])
        charge(len(s))
        pattern, template, total = re.compile(o[1:-1]), n.replace("$", "\\"), [len(s)]

        def expand(m: re.Match[str]) -> str:
            out = m.expand(template)
            total[0] += len(out)
            if total[0] > MAX_STRING:
                raise _TooLong
            return out

        try:
            return pattern.sub(expand, s)
        except _TooLong:
            return Unknown([f"replace(): result longer than arclint's limit of {MAX_STRING // 1048576} MB; not evaluated"])
    if len(s) + s.count(o) * (len(n) - len(o)) > MAX_STRING:
        return Unknown([f"replace(): result longer than arclint's limit of {MAX_STRING // 1048576} MB; not evaluated"])
    return s.replace(o, n)


def _range(*args: object) -> object:
    bounds = [int(a) for a in args]  # type: ignore[call-overload]
    result = range(*bounds)
    if len(result) > MAX_NODES:
        return Unknown([f"range(): more than {MAX_NODES:,} numbers; not evaluated"])
    return list(result)


def _element(lst: object, idx: object) -> object:
    assert isinstance(lst, list) and lst
    return lst[int(idx) % len(lst)]  # type: ignore[call-overload]


BASIC: dict[str, Function] = {
    "base64encode": _b64encode,
    "base64decode": _b64decode,
    "join": _join,
    "format": _format,
    "jsonencode": _jsonencode,
    "yamlencode": _yamlencode,
    "jsondecode": lambda s: _jsondecode(s),
    "trimspace": lambda s: str(s).strip(),
    "chomp": lambda s: str(s).rstrip("\r\n"),
    "replace": _replace,
    "lower": lambda s: str(s).lower(),
    "upper": lambda s: str(s).upper(),
    "tostring": lambda v: v if isinstance(v, str) else to_text(v),
    "tonumber": lambda v: v if isinstance(v, (int, float)) and not isinstance(v, bool) else parse_number(str(v)),
    "tobool": lambda v: v if isinstance(v, bool) else str(v) == "true",
    "tolist": lambda v: list(v),
    "toset": lambda v: list(dict.fromkeys(v)),
    "tomap": lambda v: dict(v),
    "lookup": _lookup,
    "merge": _merge,
    "concat": _concat,
    "coalesce": _coalesce,
    "try": _try,
    "can": lambda *a: not any(isinstance(x, Unknown) for x in a),
    "element": _element,
    "split": lambda sep, s: str(s).split(str(sep)),
    "contains": lambda lst, v: v in lst,  # type: ignore[operator]
    "length": lambda v: len(v),  # type: ignore[arg-type]
    "keys": lambda m: sorted(m),  # type: ignore[call-overload]
    "values": lambda m: [m[k] for k in sorted(m)],  # type: ignore[index]
    "flatten": lambda v: [y for x in v for y in (x if isinstance(x, list) else [x])],  # type: ignore[union-attr]
    "distinct": lambda v: list(dict.fromkeys(v)),  # type: ignore[arg-type]
    "compact": lambda v: [x for x in v if x not in (None, "")],  # type: ignore[union-attr]
    "range": _range,
    "min": lambda *a: min(a),
    "max": lambda *a: max(a),
    "abs": lambda v: abs(v),  # type: ignore[arg-type]
    "trim": lambda s, c: str(s).strip(str(c)),
    "trimprefix": lambda s, p: str(s).removeprefix(str(p)),
    "trimsuffix": lambda s, p: str(s).removesuffix(str(p)),
    "substr": lambda s, o, n: str(s)[int(o) : int(o) + int(n) if int(n) >= 0 else None],  # type: ignore[call-overload]
    "startswith": lambda s, p: str(s).startswith(str(p)),
    "endswith": lambda s, p: str(s).endswith(str(p)),
    "title": lambda s: str(s).title(),
    "basename": lambda p: Path(str(p)).name,
    "dirname": lambda p: str(Path(str(p)).parent),
    "abspath": lambda p: str(p),
}


def _path(name: object) -> str:
    """A path argument; a traced string keeps its unknown parts for the reader to see."""
    return name if isinstance(name, str) else to_text(name)


def make_functions(reader: Any, base: Path) -> dict[str, Function]:
    """Return the whole function table, with file functions reading relative to ``base``."""
    table: dict[str, Function] = dict(BASIC)

    def _file(name: object) -> object:
        return reader.read(_path(name), base)

    def _filebase64(name: object) -> object:
        text = reader.read(_path(name), base)
        return text if isinstance(text, Unknown) else _b64encode(text)

    def _templatefile(name: object, variables: object = None) -> object:
        text = reader.read(_path(name), base)
        if isinstance(text, Unknown):
            return text
        try:
            return render_template(text, variables if isinstance(variables, dict) else {}, table)
        except LoadError as exc:
            return Unknown([f"template {name!r} cannot be parsed: {exc.message} (line {exc.line})"])

    def _fileexists(name: object) -> object:
        path = reader.resolve(_path(name), base)
        return path if isinstance(path, Unknown) else path.is_file()

    table.update(file=_file, filebase64=_filebase64, templatefile=_templatefile, fileexists=_fileexists)
    return table


def render_template(text: Traced, variables: dict[str, object], table: dict[str, Function]) -> object:
    """Render template text read from a file; only ``variables`` are in scope, as in Terraform."""
    from arclint.document import Template
    from arclint.evaluate.expr import Evaluator

    origin = text.origin(0)
    file, line = origin if origin else ("<template>", 1)
    parts = _parsed_template(str(text), file, line)
    isolated = Evaluator(lambda n, s: (Unknown([f"{n} is not available inside templatefile()"]), 0), table)
    return isolated.eval(Template(parts, line), variables)


_TEMPLATE_CACHE: dict[tuple[str, str, int], tuple[Any, ...]] = {}
_TEMPLATE_CACHE_CHARS = 16 * 1024 * 1024
_template_cache_size = [0]


def _parsed_template(text: str, file: str, line: int) -> tuple[Any, ...]:
    """A template file parsed once, however often it is rendered (a template that renders itself twice
    would otherwise be parsed an exponential number of times); the cache holds at most 16 MB of text."""
    from arclint.load import template

    key = (text, file, line)
    parts = _TEMPLATE_CACHE.get(key)
    if parts is None:
        parts = template.parse(text, file, line)
        if len(text) <= _TEMPLATE_CACHE_CHARS:
            while _TEMPLATE_CACHE and _template_cache_size[0] + len(text) > _TEMPLATE_CACHE_CHARS:
                oldest = next(iter(_TEMPLATE_CACHE))
                del _TEMPLATE_CACHE[oldest]
                _template_cache_size[0] -= len(oldest[0])
            _TEMPLATE_CACHE[key] = parts
            _template_cache_size[0] += len(text)
    return parts
