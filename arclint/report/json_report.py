"""The JSON report of the architecture contract: version, as_of, findings, summary, errors (and ``suppressed``
when asked for, ``baseline`` counts when a baseline was given)."""

from __future__ import annotations

import json

from arclint import __version__
from arclint.findings import Report


def render(report: Report, color: bool = False) -> str:
    """Render the report as one JSON object (stable key order)."""
    data: dict[str, object] = {
        "version": __version__,
        "as_of": report.as_of.isoformat(),
        "findings": [f.to_json() for f in report.findings],
    }
    if report.suppressed is not None:  # only when asked for (--show-suppressed): the default shape is a contract
        data["suppressed"] = [s.to_json() for s in report.suppressed]
    data["summary"] = {**report.summary(), "support_matrix": report.matrix}
    if report.baseline is not None:  # only when a baseline was given (--baseline)
        data["baseline"] = {
            "new": len(report.findings),
            "known": len(report.baseline.known),
            "fixed": report.baseline.fixed,
        }
    data["errors"] = list(report.errors)
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
