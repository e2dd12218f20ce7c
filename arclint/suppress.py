"""Inline suppressions: ``# arclint:ignore ARC101 reason`` on or above a block's first line.

The comments are read when a file is loaded (``comments``, handed to the load stage) and applied to the
findings in the filter stage (``apply``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from arclint.core.document import Document, Suppression
from arclint.findings import Finding
from arclint.policy import Policy

_IGNORE_RE = re.compile(
    r"(?:#|//)\s*arclint:ignore\s+([A-Za-z0-9_-]+(?:\s*,\s*[A-Za-z0-9_-]+)*)[ \t]*(.*)$", re.MULTILINE
)


def comments(text: str) -> tuple[Suppression, ...]:
    """Find ``arclint:ignore`` comments in a file's text: ids (comma separated) and a reason."""
    if "arclint:ignore" not in text:
        return ()
    out = []
    line, counted = 1, 0  # lines counted as the matches go: linear however many comments there are
    for m in _IGNORE_RE.finditer(text):
        line += text.count("\n", counted, m.start())
        counted = m.start()
        rules = tuple(r.strip() for r in m.group(1).split(","))
        out.append(Suppression(rules, line, m.group(2).strip()))
    return tuple(out)


@dataclass(frozen=True)
class Governance:
    """What a team allows of inline suppressions (configuration ``suppressions``): ``require_reason``, and
    ``allow`` (True: any rule, False: none, or only these rule ids)."""

    require_reason: bool = False
    allow: bool | tuple[str, ...] = True


@dataclass(frozen=True)
class Placed:
    """A suppression with the file it is in."""

    file: str
    suppression: Suppression


def placed(documents: Iterable[Document]) -> list[Placed]:
    """Every suppression comment of the loaded documents."""
    return [Placed(doc.path, s) for doc in documents for s in doc.suppressions]


def _names(rule: str, policies: dict[str, Policy]) -> set[str]:
    policy = policies.get(rule)
    return {rule, policy.name} if policy else {rule}


def apply(
    findings: list[Finding], suppressions: list[Placed], policies: list[Policy]
) -> tuple[list[Finding], list[Placed]]:
    """Drop suppressed findings; return the kept ones and the suppressions that matched nothing."""
    by_id = {p.id: p for p in policies}
    used: set[int] = set()
    kept: list[Finding] = []
    for f in findings:
        names = _names(f.rule, by_id)
        hit = None
        for i, p in enumerate(suppressions):
            s = p.suppression
            if (
                p.file == f.file
                and s.line in (f.line, f.line - 1)
                and names & {r.upper() if r.upper().startswith("ARC") else r for r in s.rules}
            ):
                hit = i
                break
        if hit is None:
            kept.append(f)
        else:
            used.add(hit)
    unused = [p for i, p in enumerate(suppressions) if i not in used]
    return kept, unused


def unused_finding(policy: Policy, item: Placed) -> Finding:
    """ARC003: a suppression that suppressed nothing."""
    rules = ",".join(item.suppression.rules)
    message = policy.message.format(rules=rules)
    return Finding(
        rule=policy.id,
        name=policy.name,
        severity=policy.severity,
        message=message.strip(),
        file=item.file,
        line=item.suppression.line,
        end_line=item.suppression.line,
        resource="",
        remediation=policy.remediation.strip(),
        docs=policy.source,
    )
