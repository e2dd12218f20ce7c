"""Suppressions: ``arclint:ignore`` comments, read when a file is loaded (``comments``, handed to the load stage)
and applied to the findings in the filter stage (``apply``).

Forms: ``# arclint:ignore ARC101 reason`` (or ``//``, ``/* */``) on a block's first line or the line above it;
in JSON, a ``"//": "arclint:ignore ARC101 reason"`` key in the block's object or on the line above it;
``arclint:ignore-file ARC301 reason`` in any of these forms covers the whole file. ``until=YYYY-MM-DD`` after
the ids makes a suppression expire after that day. ``Governance`` (the configuration) may require a reason,
forbid suppressions or allow them for some rules only; a suppression that does not apply leaves its finding
reported with a note saying why.
"""

from __future__ import annotations

import datetime
import json
import re
from bisect import bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

from arclint.core.document import Document, Suppression
from arclint.engine import line_finding
from arclint.findings import Finding, Suppressed
from arclint.policy import Policy

# a comment that starts with the marker: ``#``/``//`` up to the end of the line, ``/* */`` up to its end
_MARKER_RE = re.compile(
    r"(?:#|//)[ \t]*arclint:(ignore(?:-file)?)(?![\w-])|/\*[\s*]*arclint:(ignore(?:-file)?)(?![\w-])"
)
_JSON_MARKER_RE = re.compile(r"\s*arclint:(ignore(?:-file)?)(?![\w-])")
# the ids (comma separated; an id is not followed by ``=``, so ``until=`` is never one) and the rest
_DIRECTIVE_RE = re.compile(r"\s+([\w-]+(?:\s*,\s*[\w-]+)*)(?![\w=-])(.*)", re.DOTALL)
_UNTIL_RE = re.compile(r"(?:^|\s)until=(\S*)")
_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
_JSON_TOKEN_RE = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[{}\[\]:,]')


def comments(text: str, is_json: bool = False) -> tuple[Suppression, ...]:
    """The ``arclint:ignore`` comments of a file's text: HCL comments, or ``"//"`` keys in JSON."""
    if "arclint:ignore" not in text:
        return ()
    starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def line_at(pos: int) -> int:
        return bisect_right(starts, pos)

    return tuple(_json_comments(text, line_at) if is_json else _hcl_comments(text, line_at))


def _hcl_comments(text: str, line_at: Callable[[int], int]) -> list[Suppression]:
    out = []
    consumed = 0  # end of the last block comment: a marker inside it is part of its text
    for m in _MARKER_RE.finditer(text):
        if m.start() < consumed:
            continue
        line = line_at(m.start())
        if m.group(1):
            end = text.find("\n", m.end())
            end = len(text) if end < 0 else end
            out.append(_directive(m.group(1), text[m.end() : end], line, (line, line + 1)))
        else:
            end = text.find("*/", m.end())
            end = len(text) if end < 0 else end
            last = line_at(end)
            consumed = end
            out.append(_directive(m.group(2), text[m.end() : end], line, tuple(sorted({line, last, last + 1}))))
    return out


def _json_comments(text: str, line_at: Callable[[int], int]) -> list[Suppression]:
    """``"//"`` keys whose value starts with the marker; each covers the object it is in and the next line."""
    out = []
    objects: list[tuple[int, int]] = []  # each open object: its line and the line of the key that holds it
    last = (0, "")  # the last string: its position and text
    key: tuple[int, str] | None = None  # the key just read (a string then ``:``)
    for m in _JSON_TOKEN_RE.finditer(text):
        token = m.group()
        if token == ":":
            key = last
            continue
        if token == "{":
            line = line_at(m.start())
            objects.append((line, line_at(key[0]) if key else line))
        elif token == "}":
            if objects:
                objects.pop()
        elif token[0] == '"':
            marker = None
            if key is not None and key[1] == '"//"' and "arclint:ignore" in token:
                value = _json_string(token)
                marker = _JSON_MARKER_RE.match(value)
            if marker:
                line = line_at(m.start())
                inside = objects[-1] if objects else (line, line)
                covers = tuple(sorted({*inside, line + 1}))
                out.append(_directive(marker.group(1), value[marker.end() :], line, covers))
            else:
                last = (m.start(), token)
        key = None  # a value, ``,``, ``[`` or ``]`` ends what a key held
    return out


def _json_string(token: str) -> str:
    try:
        return str(json.loads(token, strict=False))
    except ValueError:  # the file parsed, so its strings are valid; never fail on one all the same
        return ""


def _directive(kind: str, body: str, line: int, covers: tuple[int, ...]) -> Suppression:
    """A suppression from the text after ``arclint:ignore``: ids, then a reason with an optional ``until=``."""
    whole_file = kind == "ignore-file"
    m = _DIRECTIVE_RE.match(body)
    if m is None:
        return Suppression((), line, " ".join(body.split()), covers, whole_file, problem="it names no rule")
    rules = tuple(r.strip() for r in m.group(1).split(","))
    rest = m.group(2)
    untils = _UNTIL_RE.findall(rest)
    reason = " ".join(_UNTIL_RE.sub(" ", rest).split())
    until, problem = None, ""
    if len(untils) > 1:
        problem = "until= is given more than once"
    elif untils:
        until = _date(untils[0])
        if until is None:
            problem = f"until={untils[0]} is not a date in YYYY-MM-DD form"
    return Suppression(rules, line, reason, covers, whole_file, until, problem)


def _date(text: str) -> datetime.date | None:
    if not _DATE_RE.fullmatch(text):
        return None
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        return None


@dataclass(frozen=True)
class Governance:
    """What the configuration lets inline suppressions do (``suppressions:`` in ``.arclint.yaml``).

    ``require_reason``: a suppression without a reason does not apply. ``allow``: False, none applies; a tuple
    of rule ids or names, only suppressions of those rules apply.
    """

    require_reason: bool = False
    allow: bool | tuple[str, ...] = True


def unknown_rules(governance: Governance, policies: list[Policy]) -> list[str]:
    """The entries of ``governance.allow`` that name no rule (a typo must not silently allow nothing)."""
    if isinstance(governance.allow, bool):
        return []
    return [r for r in governance.allow if not any(_names_rule(r, p.id, p.name) for p in policies)]


def _names_rule(entry: str, rule: str, name: str) -> bool:
    """Whether a rule id (any case) or name in a comment or the configuration names this rule."""
    return entry.upper() == rule or entry == name


@dataclass(frozen=True)
class Placed:
    """A suppression with the file it is in."""

    file: str
    suppression: Suppression


def placed(documents: Iterable[Document]) -> list[Placed]:
    """Every suppression comment of the loaded documents."""
    return [Placed(doc.path, s) for doc in documents for s in doc.suppressions]


@dataclass
class Applied:
    """What ``apply`` did: the findings kept, the ones suppressed, the suppressions that matched nothing."""

    kept: list[Finding] = field(default_factory=list)
    suppressed: list[Suppressed] = field(default_factory=list)
    unused: list[Placed] = field(default_factory=list)


def apply(
    findings: list[Finding],
    suppressions: list[Placed],
    policies: list[Policy],
    governance: Governance | None = None,
    as_of: datetime.date | None = None,
) -> Applied:
    """Suppress the findings the suppressions cover, as far as ``governance`` lets them and until they expire.

    A block's own suppression is tried before a file-level one; a finding a matching suppression may not
    suppress is kept with a note per such suppression (why it did not apply).
    """
    governance = governance or Governance()
    names = {p.id: p.name for p in policies}
    at: dict[tuple[str, int], list[tuple[int, Placed]]] = {}  # by (file, line covered); "whole file": line 0
    for i, p in enumerate(suppressions):
        for line in (0,) if p.suppression.whole_file else p.suppression.covers:
            at.setdefault((p.file, line), []).append((i, p))
    used: set[int] = set()
    out = Applied()
    for f in findings:
        notes = []
        for i, p in [*at.get((f.file, f.line), ()), *at.get((f.file, 0), ())]:
            s = p.suppression
            if not any(_names_rule(r, f.rule, names.get(f.rule, f.rule)) for r in s.rules):
                continue
            used.add(i)
            why = _refusal(s, f.rule, names.get(f.rule, f.rule), governance, as_of)
            if not why:
                out.suppressed.append(Suppressed(f, p.file, s.line, s.reason, s.whole_file, s.until))
                break
            notes.append(f"(suppression at {p.file}:{s.line} {why})")
        else:
            out.kept.append(replace(f, message=" ".join([f.message, *notes])) if notes else f)
    out.unused = [p for i, p in enumerate(suppressions) if i not in used]
    return out


def _refusal(s: Suppression, rule: str, name: str, governance: Governance, as_of: datetime.date | None) -> str:
    """Why a suppression that covers a finding of ``rule`` does not suppress it ("" when it does)."""
    if s.problem:
        return f"not applied: {s.problem}"
    if governance.allow is False:
        return "not applied: the configuration allows no inline suppressions"
    if not isinstance(governance.allow, bool) and not any(_names_rule(a, rule, name) for a in governance.allow):
        return f"not applied: the configuration does not allow suppressing {rule}"
    if governance.require_reason and not s.reason:
        return "not applied: it gives no reason, and the configuration requires one"
    if s.until is not None and as_of is not None and as_of > s.until:
        return f"expired on {s.until.isoformat()}"
    return ""


def unused_finding(policy: Policy, item: Placed) -> Finding:
    """ARC003: a suppression that suppressed nothing (with why it could never apply, when it could not)."""
    s = item.suppression
    message = policy.message.format(rules=",".join(s.rules) or "(no rule)").strip()
    if s.problem:
        message += f" ({s.problem})"
    return line_finding(policy, item.file, s.line, message)
