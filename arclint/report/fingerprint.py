"""Stable fingerprints of findings for code-scanning services (SARIF ``partialFingerprints``, GitLab
``fingerprint``): rule, file, resource and the message and evidence texts with whitespace collapsed and line
numbers removed, so a finding keeps its fingerprint when lines above it move or it is reformatted."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from arclint.findings import Finding

_LINE_REF = re.compile(r"(\S):\d+(?::\d+)?\b")  # ``file:12`` / ``file:12:3`` -> ``file``
_SPACE = re.compile(r"\s+")


def normalised(text: str) -> str:
    """``text`` without ``:line`` references, whitespace collapsed."""
    return _SPACE.sub(" ", _LINE_REF.sub(r"\1", text)).strip()


def fingerprint(finding: Finding) -> str:
    """The hex SHA-256 of the finding's identity without line numbers."""
    import hashlib  # only for the formats that need it: keeps start-up small

    parts = [finding.rule, finding.file, finding.resource, normalised(finding.message)]
    parts.extend(f"{e.file} {normalised(e.text)}" for e in finding.evidence)
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()


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
