"""Findings (what a rule reports, where, and the evidence behind it) and the report of a scan."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from arclint.model.facts import Evidence

if TYPE_CHECKING:
    from arclint.policy import Policy

SEVERITIES = ("info", "warning", "error")


def severity_rank(severity: str) -> int:
    """info < warning < error."""
    return SEVERITIES.index(severity)


@dataclass(frozen=True)
class Finding:
    """One problem found: the rule, where it is anchored, the target and the evidence."""

    rule: str
    name: str
    severity: str
    message: str
    file: str
    line: int
    end_line: int
    resource: str
    remediation: str
    docs: str
    evidence: tuple[Evidence, ...] = field(default=())
    condition: tuple[tuple[str, object], ...] = field(default=())  # input switches (variable, value) it needs
    instances: tuple[str, ...] = field(default=())  # instance keys when it stands for several instances

    def sort_key(self) -> tuple[str, int, str, str, str]:
        """Order by file, line, rule, resource, then message: a total order, so reports never depend on the
        order sets were iterated in (Python randomises string hashes per process)."""
        return (self.file, self.line, self.rule, self.resource, self.message)

    def to_json(self) -> dict[str, object]:
        """The JSON report shape of one finding (``condition`` and ``instances`` only when set)."""
        data: dict[str, object] = {
            "rule": self.rule,
            "name": self.name,
            "severity": self.severity,
            "message": self.message,
            "file": self.file,
            "line": self.line,
            "end_line": self.end_line,
            "resource": self.resource,
            "remediation": self.remediation,
            "docs": self.docs,
            "evidence": [{"file": e.file, "line": e.line, "text": e.text} for e in self.evidence],
        }
        if self.condition:
            data["condition"] = [{"variable": name, "value": value} for name, value in self.condition]
        if self.instances:
            data["instances"] = list(self.instances)
        return data


@dataclass(frozen=True)
class Suppressed:
    """A finding an ``arclint:ignore`` comment suppressed, with the comment's file, line, reason and expiry."""

    finding: Finding
    file: str
    line: int
    reason: str
    whole_file: bool = False
    until: datetime.date | None = None

    def to_json(self) -> dict[str, object]:
        """The finding's JSON shape plus ``suppression``: where the comment is, its scope, reason and expiry."""
        return {
            **self.finding.to_json(),
            "suppression": {
                "file": self.file,
                "line": self.line,
                "scope": "file" if self.whole_file else "block",
                "reason": self.reason,
                "until": self.until.isoformat() if self.until else None,
            },
        }


@dataclass(frozen=True)
class Checked:
    """A target the scan checked: its address, where it is defined, and the platform and role that decide which
    rules apply to it (the JUnit report makes one test case per target and rule)."""

    address: str
    file: str
    line: int
    platform: str
    role: str


@dataclass(frozen=True)
class Unresolved:
    """Something arclint could not decide about a target (its ``Undecided`` facts), where the target is."""

    address: str
    file: str
    line: int
    subject: str
    reason: str


@dataclass(frozen=True)
class BaselineSummary:
    """What a baseline hid (``known``: findings it already had) and how many of its findings are ``fixed``."""

    known: tuple[Finding, ...]
    fixed: int


@dataclass
class Report:
    """The result of a scan."""

    as_of: datetime.date
    matrix: str
    findings: list[Finding]
    errors: list[str]
    files: int
    targets: int
    suppressed: list[Suppressed] | None = None  # what suppressions hid, when asked for (``--show-suppressed``)
    rules: tuple[Policy, ...] = ()  # the rules that ran (enabled), in id order
    checked: tuple[Checked, ...] = ()  # the targets the rules ran on
    fail_on: str = "warning"  # the failure threshold (the CLI sets it from the configuration)
    unknowns: list[Unresolved] = field(default_factory=list)  # every target's undecided facts (text ``-v``)
    diagram: str | None = None  # Mermaid image builds -> images -> machines, when any (the markdown report embeds it)
    baseline: BaselineSummary | None = None  # when a baseline was given: ``findings`` are the new ones

    def summary(self) -> dict[str, int]:
        """Counts by severity plus files and targets."""
        counts = {s: 0 for s in ("error", "warning", "info")}
        for f in self.findings:
            counts[f.severity] += 1
        return {**counts, "files": self.files, "targets": self.targets}

    def failed(self, threshold: str) -> bool:
        """Whether any finding is at or above ``threshold`` (info never fails)."""
        limit = max(severity_rank(threshold), severity_rank("warning"))
        return any(severity_rank(f.severity) >= limit for f in self.findings)

    def exit_code(self) -> int:
        """1 when a finding is at or above ``fail_on``, else 0."""
        return 1 if self.failed(self.fail_on) else 0
