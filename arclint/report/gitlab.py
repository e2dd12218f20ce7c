"""GitLab Code Quality (a Code Climate subset): a JSON list, one issue per finding."""

from __future__ import annotations

import json

from arclint.findings import Report
from arclint.report.fingerprint import fingerprints

SEVERITIES = {"error": "major", "warning": "minor", "info": "info"}


def render(report: Report, color: bool = False) -> str:
    """``description``, ``check_name``, ``fingerprint``, ``severity``, ``location.path``, ``location.lines.begin``."""
    issues = [
        {
            "description": f"{f.rule} {f.message}",
            "check_name": f"{f.rule} {f.name}",
            "fingerprint": fp,
            "severity": SEVERITIES[f.severity],
            "location": {"path": f.file, "lines": {"begin": max(f.line, 1)}},
        }
        for f, fp in zip(report.findings, fingerprints(report.findings), strict=True)
    ]
    return json.dumps(issues, indent=2, ensure_ascii=False) + "\n"
