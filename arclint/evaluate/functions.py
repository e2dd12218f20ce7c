"""The pure functions arclint evaluates (a whitelist), including those that carry scripts.

Arguments go through converters (``_str``, ``_int``, ``_number``, ``_list``, ``_map``) that raise
``BadArgument`` for a value Terraform would reject; the evaluator turns that, and a call with the
wrong number of arguments, into an unknown. Any other exception from a function is a bug and
propagates.
"""

from __future__ import annotations

import base64
import functools
import json
import re
from collections import ChainMap
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from arclint.core.errors import LoadError
from arclint.core.limits import (
    MAX_FORMAT_WIDTH,
    MAX_NODES,
    MAX_REGEX_ALTERNATIVES,
    MAX_REGEX_TEXT,
    MAX_REGEX_TEXT_2,
    MAX_STRING,
)
from arclint.core.values import (
    BadArgument,
    Encoded,
    Traced,
    Unknown,
    concat,
    parse_float,
    parse_int,
    to_text,
    too_big,
)

if TYPE_CHECKING:
    from arclint.evaluate.files import Reader
    from arclint.evaluate.session import Session

Function = Callable[..., object]


def _kind(value: object) -> str:
    return {list: "list", dict: "map", bool: "bool", str: "string"}.get(
        type(value), "number" if isinstance(value, (int, float)) else type(value).__name__
    )


def _str(value: object) -> str:
    """A string argument: strings as they are (traced text kept), numbers and bools converted as Terraform does."""
    return value if isinstance(value, str) else to_text(value)


def _number(value: object) -> int | float:
    """A number argument: a number, or a string that is one (as Terraform converts)."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise BadArgument(f"a {_kind(value)} is not a number")
    if isinstance(value, str):
        number = parse_number(value)
        if isinstance(number, Unknown):
            raise BadArgument("; ".join(number.reasons))
        return number  # type: ignore[return-value]  # parse_number gives int | float when not Unknown
    return value


def _int(value: object) -> int:
    """A whole-number argument (an index, a length, a count)."""
    number = _number(value)
    if isinstance(number, float) and not number.is_integer():
        raise BadArgument(f"{number} is not a whole number")
    return int(number)


def _list(value: object) -> list[object]:
    if not isinstance(value, list):
        raise BadArgument(f"a {_kind(value)} is not a list")
    return value


def _map(value: object) -> dict[str, object]:
    if not isinstance(value, dict):
        raise BadArgument(f"a {_kind(value)} is not a map")
    return value


def _distinct(values: object) -> list[object]:
    """The first of equal items, in order (maps and lists compared by their JSON)."""
    seen: set[object] = set()
    out: list[object] = []
    for item in _list(values):
        key = (
            json.dumps(item, sort_keys=True, default=_json_default)
            if isinstance(item, (list, dict))
            else (type(item), item)
        )
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out


def _b64encode(value: object) -> object:
    text = value if isinstance(value, str) else to_text(value)
    return Encoded(base64.b64encode(text.encode("utf-8")).decode("ascii"), value)


def _b64decode(value: object) -> object:
    if isinstance(value, Encoded):
        return value.inner
    try:
        return base64.b64decode(_str(value), validate=False).decode("utf-8")
    except (ValueError, UnicodeDecodeError) as exc:  # binascii.Error, non-ASCII text: Terraform rejects both
        raise BadArgument(f"not valid base64 text ({exc})") from None


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


def _format(fmt: object, *args: object) -> object:
    if isinstance(fmt, Unknown):
        return fmt
    text = _str(fmt)
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
            if any(len(n) > 6 or int(n) > MAX_FORMAT_WIDTH for n in re.findall(r"[0-9]+", spec)):
                return Unknown(
                    [f"format(): width or precision in %{spec} over arclint's limit of {MAX_FORMAT_WIDTH:,}"]
                )
            out.append(_verb(spec, arg))
        i = j + 1
    return concat(out)


def _verb(spec: str, arg: object) -> str:
    """One ``%d``/``%f``/``%x``/``%t``... verb applied to its argument; a wrong argument is Terraform's error too."""
    verb = spec[-1:]
    if verb == "t":
        if not isinstance(arg, bool):
            raise BadArgument(f"%t needs a bool, not a {_kind(arg)}")
        return "true" if arg else "false"
    if verb and verb in "dfeEgGxXob":
        arg = _int(arg) if verb in "dxXob" else _number(arg)
    try:
        return format(arg, spec[:-1] + "b") if verb == "b" else ("%" + spec) % arg
    except (TypeError, ValueError, OverflowError) as exc:  # a verb or flag Terraform does not know either
        raise BadArgument(f"%{spec} cannot format a {_kind(arg)} ({exc})") from None


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
    return parse_int(text) if re.fullmatch(r"[+-]?[0-9]+", text) else parse_float(text)  # BadArgument if neither


def _jsondecode(text: object) -> object:
    """Decode JSON with the loader's bounds (nesting, number sizes)."""
    from arclint.load.jsonfile import parse_json

    try:
        return parse_json(_str(text), "<jsondecode>")
    except LoadError as exc:
        return Unknown([f"jsondecode(): {exc.message}"])


def _lookup(mapping: object, key: object, *default: object) -> object:
    if isinstance(mapping, dict) and _str(key) in mapping:
        return mapping[_str(key)]
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


_SINGLE_CHARACTER = frozenset({"LITERAL", "NOT_LITERAL", "ANY", "IN", "CATEGORY"})


def _regex_problem(pattern: str, text: str) -> str | None:
    """Why a regular expression is not applied: Python's ``re`` backtracks, so nested or several
    repetitions and many alternatives can take exponential time (Terraform's RE2 does not)."""
    try:
        from re import _parser as sre_parse  # type: ignore[attr-defined]  # private, but the only parser of re
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
            "replace(): arclint evaluates regular expressions with at most two repetitions, each of a single"
            f" character, and {MAX_REGEX_ALTERNATIVES} alternatives (its limit; others can take exponential time)"
        )
    limit = MAX_REGEX_TEXT if repeats < 2 else MAX_REGEX_TEXT_2
    if repeats and len(text) > limit:
        plural = "s" if repeats > 1 else ""
        return (
            f"replace(): a regular expression with {repeats} repetition{plural} is applied to at most {limit:,}"
            " characters (arclint's limit)"
        )
    return None


class _TooLong(Exception):
    pass


def _uncounted(steps: int) -> None:
    """``replace`` outside an evaluation session (``BASIC`` alone): its work is bounded but not counted."""


def _replace(text: object, old: object, new: object, *, charge: Callable[[int], None] = _uncounted) -> object:
    """Terraform's ``replace``; ``charge`` counts a regular expression's work as evaluation steps."""
    s, o, n = _str(text), _str(old), _str(new)
    if len(o) > 2 and o.startswith("/") and o.endswith("/"):
        try:
            problem = _regex_problem(o[1:-1], s)
            pattern = re.compile(o[1:-1])
        except re.error as exc:
            raise BadArgument(f"{o} is not a valid regular expression ({exc})") from None
        if problem:
            return Unknown([problem])
        charge(len(s))
        template, total = n.replace("$", "\\"), [len(s)]

        def expand(m: re.Match[str]) -> str:
            out = m.expand(template)
            total[0] += len(out)
            if total[0] > MAX_STRING:
                raise _TooLong
            return out

        try:
            return pattern.sub(expand, s)
        except re.error as exc:  # a replacement that names a group the pattern lacks
            raise BadArgument(f"replacement {n!r} does not fit {o} ({exc})") from None
        except _TooLong:
            return Unknown(
                [f"replace(): result longer than arclint's limit of {MAX_STRING // 1048576} MB; not evaluated"]
            )
    if len(s) + s.count(o) * (len(n) - len(o)) > MAX_STRING:
        return Unknown([f"replace(): result longer than arclint's limit of {MAX_STRING // 1048576} MB; not evaluated"])
    return s.replace(o, n)


def _range(*args: object) -> object:
    if not 1 <= len(args) <= 3:
        raise BadArgument(f"range() takes 1 to 3 numbers, not {len(args)}")
    numbers = [_number(a) for a in args]
    if any(isinstance(n, float) and not n.is_integer() for n in numbers):
        return Unknown(["range(): arclint evaluates whole-number ranges only"])
    bounds = [int(n) for n in numbers]
    if len(bounds) == 3 and bounds[2] == 0:
        raise BadArgument("range() step must not be zero")
    result = range(*bounds)
    if abs(result.stop - result.start) // abs(result.step) > MAX_NODES:
        return Unknown([f"range(): more than {MAX_NODES:,} numbers; not evaluated"])
    return list(result)


def _element(lst: object, idx: object) -> object:
    items, index = _list(lst), _int(idx)
    if not items:
        raise BadArgument("cannot use element() with an empty list")
    if index < 0:
        raise BadArgument("cannot use element() with a negative index")
    return items[index % len(items)]


def _length(value: object) -> int:
    if not isinstance(value, (str, list, dict)):
        raise BadArgument(f"a {_kind(value)} has no length")
    return len(value)


def _extreme(pick: Callable[..., object], name: str) -> Function:
    def extreme(*args: object) -> object:
        if not args:
            raise BadArgument(f"{name}() needs at least one number")
        return pick(_number(a) for a in args)

    return extreme


def _substr(text: object, offset: object, length: object) -> str:
    s, o, n = _str(text), _int(offset), _int(length)
    if o < 0:
        o = max(len(s) + o, 0)
    return s[o : o + n if n >= 0 else None]


BASIC: dict[str, Function] = {
    "base64encode": _b64encode,
    "base64decode": _b64decode,
    "join": _join,
    "format": _format,
    "jsonencode": _jsonencode,
    "yamlencode": _yamlencode,
    "jsondecode": lambda s: _jsondecode(s),
    "trimspace": lambda s: _str(s).strip(),
    "chomp": lambda s: _str(s).rstrip("\r\n"),
    "replace": _replace,
    "lower": lambda s: _str(s).lower(),
    "upper": lambda s: _str(s).upper(),
    "tostring": lambda v: _str(v),
    "tonumber": lambda v: _number(v),
    "tobool": lambda v: v if isinstance(v, bool) else _str(v) == "true",
    "tolist": lambda v: list(_list(v)),
    "toset": _distinct,
    "tomap": lambda v: dict(_map(v)),
    "lookup": _lookup,
    "merge": _merge,
    "concat": _concat,
    "coalesce": _coalesce,
    "try": _try,
    "can": lambda *a: not any(isinstance(x, Unknown) for x in a),
    "element": _element,
    "split": lambda sep, s: _str(s).split(_str(sep)) if _str(sep) else list(_str(s)),
    "contains": lambda lst, v: v in _list(lst),
    "length": _length,
    "keys": lambda m: sorted(_map(m)),
    "values": lambda m: [_map(m)[k] for k in sorted(_map(m))],
    "flatten": lambda v: [y for x in _list(v) for y in (x if isinstance(x, list) else [x])],
    "distinct": _distinct,
    "compact": lambda v: [x for x in _list(v) if x not in (None, "")],
    "range": _range,
    "min": _extreme(min, "min"),
    "max": _extreme(max, "max"),
    "abs": lambda v: abs(_number(v)),
    "trim": lambda s, c: _str(s).strip(_str(c)),
    "trimprefix": lambda s, p: _str(s).removeprefix(_str(p)),
    "trimsuffix": lambda s, p: _str(s).removesuffix(_str(p)),
    "substr": _substr,
    "startswith": lambda s, p: _str(s).startswith(_str(p)),
    "endswith": lambda s, p: _str(s).endswith(_str(p)),
    "title": lambda s: _str(s).title(),
    "basename": lambda p: Path(_str(p)).name,
    "dirname": lambda p: str(Path(_str(p)).parent),
    "abspath": lambda p: _str(p),
}


def _path(name: object) -> str:
    """A path argument; a traced string keeps its unknown parts for the reader to see."""
    return name if isinstance(name, str) else to_text(name)


def make_functions(reader: Reader, base: Path) -> Mapping[str, Function]:
    """Return the whole function table, with file functions reading relative to ``base`` and regular
    expressions counted in the reader's evaluation session: those five over ``BASIC``, shared (every module
    has a table; a copy of ``BASIC`` each took megabytes in a large scan)."""
    own: dict[str, Function] = {"replace": functools.partial(_replace, charge=reader.session.charge)}
    table = ChainMap(own, BASIC)

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
            return render_template(text, variables if isinstance(variables, dict) else {}, table, reader.session)
        except LoadError as exc:
            return Unknown([f"template {name!r} cannot be parsed: {exc.message} (line {exc.line})"])

    def _fileexists(name: object) -> object:
        path = reader.resolve(_path(name), base)
        if isinstance(path, Unknown):
            return path
        try:
            return path.is_file()
        except OSError as exc:  # a folder on the way that may not be searched
            return Unknown([f"fileexists(): {name!r} cannot be checked ({exc.strerror or exc})"])

    own.update(file=_file, filebase64=_filebase64, templatefile=_templatefile, fileexists=_fileexists)
    return table


def render_template(
    text: Traced, variables: dict[str, object], table: Mapping[str, Function], session: Session
) -> object:
    """Render template text read from a file; only ``variables`` are in scope, as in Terraform."""
    from arclint.core.document import Template
    from arclint.evaluate.expr import Evaluator

    origin = text.origin(0)
    file, line = origin if origin else ("<template>", 1)
    parts = session.template(str(text), file, line)
    isolated = Evaluator(lambda n, s: (Unknown([f"{n} is not available inside templatefile()"]), 0), table, session)
    return isolated.eval(Template(parts, line), variables)
