"""Plain text: ``file:line: severity RULE resource: message``, evidence below, a summary line.

Report errors (paths that could not be read) are not part of it: the CLI prints them on stderr.
"""

from __future__ import annotations

from arclint.findings import Report

_COLORS = {"error": "\033[31m", "warning": "\033[33m", "info": "\033[36m"}
_RESET = "\033[0m"


def render(report: Report, color: bool = False) -> str:
    """Render findings one per line (grep-friendly), evidence indented, then the summary."""
    lines: list[str] = []
    for f in report.findings:
        sev = f"{_COLORS[f.severity]}{f.severity}{_RESET}" if color else f.severity
        where = f" {f.resource}:" if f.resource and f.resource not in f.message else ""
        lines.append(f"{f.file}:{f.line}: {sev} {f.rule}{where} {f.message}")
        for e in f.evidence:
            if (e.file, e.line) != (f.file, f.line) or len(f.evidence) > 1:
                lines.append(f"    {e.file}:{e.line}: {e.text}")
    s = report.summary()
    total = s["error"] + s["warning"] + s["info"]
    noun = "finding" if total == 1 else "findings"
    lines.append(
        f"{total} {noun} ({s['error']} error, {s['warning']} warning, {s['info']} info) "
        f"in {s['files']} files, {s['targets']} targets;"
        f" support matrix {report.matrix}, as of {report.as_of.isoformat()}"
    )
    return "\n".join(lines) + "\n"
