"""Shared helpers: scan a folder the way a user would, with a fixed date."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from arclint import scan
from arclint.findings import Report

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).resolve().parent.parent
AS_OF = datetime.date(2026, 11, 27)


def run_scan(folder: Path, **options: object) -> Report:
    """Scan ``folder`` as a user in it would (paths in findings are relative to it)."""
    opts = scan.Options(as_of=options.pop("as_of", AS_OF), env=options.pop("env", {}), **options)  # type: ignore[arg-type]
    return scan.run([Path(".")], root=folder, options=opts)


def write(root: Path, files: dict[str, str]) -> Path:
    """Create files under ``root`` from a {relative path: text} map."""
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def brief(report: Report, rule: str | None = None) -> list[tuple[str, str, int, str, str]]:
    """(rule, file, line, resource, severity) of each finding, optionally of one rule."""
    return [(f.rule, f.file, f.line, f.resource, f.severity) for f in report.findings if rule is None or f.rule == rule]


@pytest.fixture
def project(tmp_path: Path):  # type: ignore[no-untyped-def]
    """Write files into a temporary project and scan it."""

    def make(files: dict[str, str], **options: object) -> Report:
        write(tmp_path, files)
        return run_scan(tmp_path, **options)

    return make


def policy_yaml(rule_id: str, when: str, applies_to: str = "{}") -> str:
    """A user policy (``--policy-dir``) with the YAML flow-style condition ``when``; its message is the address."""
    return (
        f"id: {rule_id}\nname: rule-{rule_id.lower()}\ntitle: {rule_id}\nseverity: warning\n"
        f"applies-to: {applies_to}\nwhen: {when}\nmessage: '{{address}}'\nremediation: r\n"
        "source: https://example.org\ndocs: {what: a, why: b, bad: c, good: d}\n"
    )
