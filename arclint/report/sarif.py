"""SARIF 2.1.0 for code-scanning services (GitHub code scanning, Azure DevOps, IDE viewers): one run, a
``rules`` entry per rule that ran, every result with a relative ``uri`` under ``%SRCROOT%`` (the folder arclint
ran in), a region with start and end line, ``partialFingerprints`` and the evidence as related locations."""

from __future__ import annotations

import json
from pathlib import PurePosixPath
from urllib.parse import quote

from arclint import __version__
from arclint.findings import Finding, Report
from arclint.report.fingerprint import fingerprints

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
ROOT = "%SRCROOT%"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}
FINGERPRINT = "arclint/v1"


def render(report: Report, color: bool = False) -> str:
    """Render the report as one SARIF log (stable key order)."""
    rules = {
        p.id: _rule(p.id, p.name, p.title, p.docs.get("what", ""), p.remediation, p.source, p.severity)
        for p in report.rules
    }
    hidden = [item.finding for item in report.suppressed or []]
    for f in [*report.findings, *hidden]:  # a rule the report does not list (not expected): from its finding
        if f.rule not in rules:
            rules[f.rule] = _rule(f.rule, f.name, f.name, "", f.remediation, f.docs, f.severity)
    index = {rule_id: i for i, rule_id in enumerate(rules)}
    run: dict[str, object] = {
        "tool": {
            "driver": {
                "name": "arclint",
                "version": __version__,
                "semanticVersion": __version__,
                "informationUri": "https://learn.microsoft.com/azure/azure-arc/servers/overview",
                "rules": list(rules.values()),
            }
        },
        "originalUriBaseIds": {ROOT: {"description": {"text": "The folder arclint ran in."}}},
        "invocations": [_invocation(report)],
        "results": _results(report, index),
        "columnKind": "unicodeCodePoints",
    }
    log = {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


def _rule(
    rule_id: str, name: str, title: str, what: str, remediation: str, source: str, severity: str
) -> dict[str, object]:
    """A ``reportingDescriptor``: texts with whitespace collapsed, help with the remediation and the source."""
    help_text = " ".join(remediation.split())
    return {
        "id": rule_id,
        "name": name,
        "shortDescription": {"text": title},
        "fullDescription": {"text": " ".join(what.split()) or title},
        "help": {"text": f"{help_text} See {source}".strip(), "markdown": f"{help_text}\n\nSee <{source}>"},
        **({"helpUri": source} if source else {}),
        "defaultConfiguration": {"level": LEVELS[severity]},
    }


def _location(file: str, line: int, end_line: int) -> dict[str, object]:
    start = max(line, 1)
    return {
        "physicalLocation": {
            "artifactLocation": _artifact(file),
            "region": {"startLine": start, "endLine": max(end_line, start)},
        }
    }


def _artifact(file: str) -> dict[str, object]:
    """A relative path: a ``uri`` under ``%SRCROOT%``; an absolute one (outside the folder arclint ran in): a
    ``file`` URI."""
    path = PurePosixPath(file.replace("\\", "/"))
    if path.is_absolute():
        return {"uri": path.as_uri()}
    return {"uri": quote(str(path), safe="/"), "uriBaseId": ROOT}


def _result(f: Finding, rule_index: int, fingerprint: str) -> dict[str, object]:
    result: dict[str, object] = {
        "ruleId": f.rule,
        "ruleIndex": rule_index,
        "level": LEVELS[f.severity],
        "message": {"text": f.message},
        "locations": [_location(f.file or ".", f.line, f.end_line)],
        "partialFingerprints": {FINGERPRINT: fingerprint},
    }
    related = [
        {**_location(e.file, e.line, e.line), "id": i, "message": {"text": e.text}}
        for i, e in enumerate(f.evidence, start=1)
    ]
    if related:
        result["relatedLocations"] = related
    properties: dict[str, object] = {}
    if f.resource:
        properties["resource"] = f.resource
    if f.condition:
        properties["condition"] = [{"variable": name, "value": value} for name, value in f.condition]
    if properties:
        result["properties"] = properties
    return result


def _results(report: Report, index: dict[str, int]) -> list[dict[str, object]]:
    """The findings, then (with ``--show-suppressed``) the suppressed ones with an ``inSource`` suppression
    naming the comment and its reason."""
    suppressed = report.suppressed or []
    everything = [*report.findings, *(item.finding for item in suppressed)]
    prints = fingerprints(everything)
    results = [_result(f, index[f.rule], fp) for f, fp in zip(everything, prints, strict=True)]
    for result, item in zip(results[len(report.findings) :], suppressed, strict=True):
        suppression: dict[str, object] = {"kind": "inSource", "location": _location(item.file, item.line, item.line)}
        if item.reason:
            suppression["justification"] = item.reason
        result["suppressions"] = [suppression]
    return results


def _invocation(report: Report) -> dict[str, object]:
    """The exit code; the scan ran to its end (arclint writes no report when it cannot), so it was successful.
    Paths that could not be read or were skipped are warning notifications, as they are on standard error."""
    invocation: dict[str, object] = {"executionSuccessful": True, "exitCode": report.exit_code()}
    if report.errors:
        invocation["toolExecutionNotifications"] = [
            {"level": "warning", "message": {"text": error}} for error in report.errors
        ]
    return invocation
