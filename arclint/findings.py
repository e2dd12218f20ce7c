"""Findings: what a rule reports, where, and the evidence behind it."""

from __future__ import annotations

from dataclasses import dataclass, field

from arclint.model.target import Evidence

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

    def sort_key(self) -> tuple[str, int, str, str]:
        """Order by file, line, rule, resource."""
        return (self.file, self.line, self.rule, self.resource)

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
