"""Plain text: ``file:line:col: severity RULE resource: message`` (editors open it; column 1: findings have no
column), evidence below, what suppressions hid (when asked for), a summary line (and what the baseline hid,
when one was given). Verbosity: -1 the summary only, 1 also what arclint could not decide about each target.

Report errors (paths that could not be read) are not part of it: the CLI prints them on stderr.
"""

from __future__ import annotations

from arclint.findings import Finding, Report

_COLORS = {"error": "\033[31m", "warning": "\033[33m", "info": "\033[36m"}
_RESET = "\033[0m"


def render(report: Report, color: bool = False, verbosity: int = 0) -> str:
    """Render findings one per line (grep-friendly), evidence indented, the suppressed ones, the unknowns (when
    ``verbosity`` > 0), then the summary; only the summary when ``verbosity`` < 0."""
    lines: list[str] = []
    for f in report.findings if verbosity >= 0 else ():
        sev = f"{_COLORS[f.severity]}{f.severity}{_RESET}" if color else f.severity
        lines.append(f"{_head(f, sev)} {f.message}")
        for e in f.evidence:
            if (e.file, e.line) != (f.file, f.line) or len(f.evidence) > 1:
                lines.append(f"    {e.file}:{e.line}: {e.text}")
    if report.suppressed is not None and verbosity >= 0:
        lines.extend(_suppressed(report))
    if verbosity > 0:
        lines.extend(_unknowns(report))
    lines.append(summary_line(report))
    if report.baseline is not None:
        known, fixed = len(report.baseline.known), report.baseline.fixed
        lines.append(
            f"{known} known {'finding' if known == 1 else 'findings'} in the baseline not shown;"
            f" {fixed} fixed since the baseline"
        )
    return "\n".join(lines) + "\n"


def summary_line(report: Report) -> str:
    """``N findings (E error, W warning, I info) in F files, T targets; support matrix M, as of D``."""
    s = report.summary()
    total = s["error"] + s["warning"] + s["info"]
    noun = "finding" if total == 1 else "findings"
    return (
        f"{total} {noun} ({s['error']} error, {s['warning']} warning, {s['info']} info) "
        f"in {s['files']} files, {s['targets']} targets;"
        f" support matrix {report.matrix}, as of {report.as_of.isoformat()}"
    )


def _head(f: Finding, severity: str) -> str:
    """``file:line:1: severity RULE resource:``."""
    return f"{f.file}:{f.line}:1: {severity} {f.rule}{_where(f)}"


def _unknowns(report: Report) -> list[str]:
    """What arclint could not decide about each target, indented below a count (ARC002 reports those that matter:
    an unknown OS image of a target that does not onboard is listed here only)."""
    items = report.unknowns
    lines = [f"{len(items)} {'unknown' if len(items) == 1 else 'unknowns'}{':' if items else ''}"]
    lines.extend(f"  {u.file}:{u.line}:1: {u.address}: {u.subject}: {u.reason}" for u in items)
    return lines


def _where(f: Finding) -> str:
    return f" {f.resource}:" if f.resource and f.resource not in f.message else ""


def _suppressed(report: Report) -> list[str]:
    """What suppressions hid, indented below a count (so a grep for findings never matches them): each finding,
    then the comment that suppressed it and its reason."""
    items = report.suppressed or []
    lines = [f"{len(items)} suppressed {'finding' if len(items) == 1 else 'findings'}{':' if items else ''}"]
    for item in items:
        f = item.finding
        lines.append(f"  {_head(f, f.severity)} {f.message}")
        scope = [*(["whole file"] if item.whole_file else []), *([f"until {item.until}"] if item.until else [])]
        detail = f" ({', '.join(scope)})" if scope else ""
        lines.append(f"    suppressed by {item.file}:{item.line}{detail}: {item.reason or 'no reason given'}")
    return lines
