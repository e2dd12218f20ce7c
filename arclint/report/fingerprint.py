"""Fingerprints of findings for code-scanning services (SARIF ``partialFingerprints``, GitLab ``fingerprint``):
the same identity a baseline uses (``arclint.baseline.fingerprint``: rule, file, resource, and the message and
evidence texts without line references), unique within one report."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from arclint.baseline import fingerprint
from arclint.findings import Finding


def fingerprints(findings: Iterable[Finding]) -> list[str]:
    """One fingerprint per finding, in order; a second identical finding gets ``:2`` appended (and so on), so
    every fingerprint of a report is unique."""
    seen: Counter[str] = Counter()
    out = []
    for finding in findings:
        base = fingerprint(finding)
        seen[base] += 1
        out.append(base if seen[base] == 1 else f"{base}:{seen[base]}")
    return out
