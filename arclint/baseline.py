"""Baselines: the findings a repository already had, so that only new ones are reported.

A baseline file is JSON: ``{"version": 1, "findings": [{"rule", "file", "resource", "fingerprint"}, ...]}``,
one entry per finding. A fingerprint is a hash of the rule, resource, file and the finding's message and
evidence texts, normalised (whitespace collapsed, ``file:line`` references and line numbers removed), so it
survives lines moving and reformatting. Fingerprints are counted: a second identical finding is new.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from arclint.findings import BaselineSummary, Finding

VERSION = 1
MAX_BASELINE_BYTES = 64 * 1048576

_FILE_LINE = re.compile(r"[\w.\-/\\]*\.[\w-]+:\d+(?:[-:]\d+)?")  # main.tf:12, scripts/a.sh:3-5, x.tf:1:4
_LINE_WORD = re.compile(r"\blines?\s+\d+(?:\s*(?:-|–|to|and)\s*\d+)?", re.IGNORECASE)
_SPACE = re.compile(r"\s+")
_SPACE_AT_PUNCTUATION = re.compile(r" ?([^\w ]) ?")


class BaselineError(Exception):
    """A baseline file that cannot be read or is not an arclint baseline (exit 2, naming the file)."""


@dataclass(frozen=True)
class Baseline:
    """The (file, fingerprint) entries of a baseline file, each as often as it was recorded."""

    entries: tuple[tuple[str, str], ...]


def normalise(text: str) -> str:
    """``text`` without ``file:line`` references and line numbers, whitespace collapsed, and none around
    punctuation (``a=b`` and ``a   = b`` are the same after ``terraform fmt``)."""
    text = _LINE_WORD.sub("line", _FILE_LINE.sub("", text))
    return _SPACE_AT_PUNCTUATION.sub(r"\1", _SPACE.sub(" ", text)).strip()


def fingerprint(finding: Finding) -> str:
    """A hash of what identifies a finding apart from where its lines are."""
    parts = [finding.rule, finding.resource, finding.file, normalise(finding.message)]
    parts.extend(normalise(e.text) for e in finding.evidence)
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()[:32]


def render(findings: Sequence[Finding]) -> str:
    """The baseline file of ``findings`` (stable order: by file, rule, resource, fingerprint)."""
    entries = [
        {"rule": f.rule, "file": f.file, "resource": f.resource, "fingerprint": fingerprint(f)} for f in findings
    ]
    entries.sort(key=lambda e: (e["file"], e["rule"], e["resource"], e["fingerprint"]))
    return json.dumps({"version": VERSION, "findings": entries}, indent=2, ensure_ascii=False) + "\n"


def load(path: Path, shown: str) -> Baseline:
    """Read the baseline file ``path`` (named ``shown`` in errors). Raises ``BaselineError``."""
    from arclint.core.files import decode, read_bytes

    try:
        text = decode(read_bytes(path, MAX_BASELINE_BYTES))
    except OSError as exc:
        raise BaselineError(f"{shown}: cannot read the baseline ({exc.strerror or exc})") from None
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise BaselineError(f"{shown}: not an arclint baseline (not valid JSON: {exc})") from None
    if not isinstance(data, dict) or data.get("version") != VERSION or not isinstance(data.get("findings"), list):
        raise BaselineError(
            f'{shown}: not an arclint baseline (expected {{"version": {VERSION}, "findings": [...]}};'
            " write one with --write-baseline)"
        )
    entries = []
    for i, entry in enumerate(data["findings"]):
        value = entry.get("fingerprint") if isinstance(entry, dict) else None
        file = entry.get("file") if isinstance(entry, dict) else None
        if not isinstance(value, str) or not value or not isinstance(file, str):
            raise BaselineError(f"{shown}: not an arclint baseline (findings[{i}] has no file or fingerprint)")
        entries.append((file, value))
    return Baseline(tuple(entries))


def apply(
    findings: Sequence[Finding], baseline: Baseline, covers: Callable[[str], bool]
) -> tuple[list[Finding], BaselineSummary]:
    """The findings not in the baseline, and what it knew: the known findings, and how many of its findings
    are gone (only those in files the scan ``covers``: a scan of some files says nothing of the others)."""
    remaining = Counter(key for _, key in baseline.entries)
    file_of = dict((key, file) for file, key in baseline.entries)
    new: list[Finding] = []
    known: list[Finding] = []
    for f in findings:
        key = fingerprint(f)
        if remaining[key] > 0:
            remaining[key] -= 1
            known.append(f)
        else:
            new.append(f)
    fixed = sum(n for key, n in remaining.items() if covers(file_of[key]))
    return new, BaselineSummary(tuple(known), fixed)
