"""Mask the values of sensitive variables wherever they would be printed (messages, evidence)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from arclint.findings import Finding
from arclint.model.target import Evidence

MASK = "****"
MIN_SECRET = 4  # shorter values would mask ordinary words


def _strings(value: object) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def secret_strings(values: Iterable[object]) -> list[str]:
    """The strings inside sensitive values worth masking, longest first."""
    found = {s for v in values for s in _strings(v) if len(s.strip()) >= MIN_SECRET}
    return sorted(found, key=len, reverse=True)


def _mask(text: str, secrets: list[str]) -> str:
    for secret in secrets:
        if secret in text:
            text = text.replace(secret, MASK)
    return text


def redact(findings: list[Finding], secrets: list[str]) -> list[Finding]:
    """Replace every secret in messages and evidence by ``****``."""
    if not secrets:
        return findings
    out = []
    for f in findings:
        evidence = tuple(Evidence(e.file, e.line, _mask(e.text, secrets)) for e in f.evidence)
        out.append(replace(f, message=_mask(f.message, secrets), evidence=evidence))
    return out
