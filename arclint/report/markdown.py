"""Markdown for a pull-request comment or ``$GITHUB_STEP_SUMMARY``: the counts, one table row per finding, and
the Mermaid diagram of image builds -> images -> machines when the scan found such links."""

from __future__ import annotations

from arclint.findings import Finding, Report

HEADER = ("| rule | severity | file:line | resource | message |", "| --- | --- | --- | --- | --- |")


def render(report: Report, color: bool = False) -> str:
    """A heading, the counts, and (when there are findings) the table."""
    s = report.summary()
    total = s["error"] + s["warning"] + s["info"]
    lines = [
        "## arclint",
        "",
        f"**{total} {'finding' if total == 1 else 'findings'}**: {s['error']} error, {s['warning']} warning,"
        f" {s['info']} info in {s['files']} files, {s['targets']} targets"
        f" (support matrix {report.matrix}, as of {report.as_of.isoformat()})",
    ]
    if report.findings:
        lines.extend(["", *HEADER, *(_row(f) for f in report.findings)])
    if report.errors:
        lines.extend(["", "Not scanned:", "", *(f"- {cell(error)}" for error in report.errors)])
    if report.diagram:
        lines.extend(["", "Image builds, images and the machines made from them:", "", "```mermaid"])
        lines.extend([report.diagram.rstrip("\n"), "```"])
    return "\n".join(lines) + "\n"


def _row(f: Finding) -> str:
    cells = (f"{f.rule} {f.name}", f.severity, f"`{f.file}:{f.line}`", f.resource, f.message)
    return "| " + " | ".join(cell(c) for c in cells) + " |"


def cell(text: str) -> str:
    """Text safe in a table cell: ``|`` escaped, line breaks as ``<br>``, HTML's ``<`` and ``&`` escaped."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace("|", "\\|")
    return "<br>".join(line.strip() for line in text.splitlines()) if "\n" in text else text
