"""GitHub Actions workflow commands: one annotation per finding (``::error``, ``::warning``, ``::notice``) at the
finding's file and lines, then the summary line. Values are escaped as the runner requires."""

from __future__ import annotations

from arclint.findings import Finding, Report
from arclint.report.text import summary_line

COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}


def render(report: Report, color: bool = False) -> str:
    """One ``::LEVEL file=F,line=L,endLine=E,title=RULE name::message`` line per finding, then the summary."""
    lines = [_annotation(f) for f in report.findings]
    lines.append(summary_line(report))
    return "\n".join(lines) + "\n"


def _annotation(f: Finding) -> str:
    start = max(f.line, 1)
    properties = {"file": f.file, "line": str(start), "endLine": str(max(f.end_line, start))}
    properties["title"] = f"{f.rule} {f.name}"
    text = ",".join(f"{key}={escape_property(value)}" for key, value in properties.items())
    body = [f.message]
    body.extend(f"{e.file}:{e.line}: {e.text}" for e in f.evidence if (e.file, e.line) != (f.file, f.line))
    return f"::{COMMANDS[f.severity]} {text}::{escape_data(chr(10).join(body))}"


def escape_data(value: str) -> str:
    """A message: ``%``, CR and LF percent-encoded (the runner's ``escapeData``)."""
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    """A property value: as a message, plus ``:`` and ``,`` (the runner's ``escapeProperty``)."""
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")
