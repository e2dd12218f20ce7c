"""JUnit XML for CI test reports: one test suite per file, one test case per target and rule that applies to it
(a failure per finding), plus a test case for each finding no target carries (a file that could not be parsed)."""

from __future__ import annotations

import re
from collections import defaultdict
from typing import TYPE_CHECKING

from arclint.findings import Finding, Report

if TYPE_CHECKING:
    import xml.etree.ElementTree as ET

Case = tuple[str, str, str]  # (file, resource, rule)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")  # characters XML 1.0 forbids


def render(report: Report, color: bool = False) -> str:
    """``testsuites/testsuite/testcase/failure``; suites by file, cases in a stable order."""
    import xml.etree.ElementTree as ET  # only when asked for: keeps start-up small

    cases: dict[Case, list[Finding]] = {}
    for target in sorted(report.checked, key=lambda t: (t.file, t.line, t.address)):
        for policy in report.rules:
            if not policy.scan and policy.applies_to(target.platform, target.role):
                cases.setdefault((target.file, target.address, policy.id), [])
    for f in report.findings:
        cases.setdefault((f.file, f.resource, f.rule), []).append(f)
    by_file: dict[str, list[tuple[Case, list[Finding]]]] = defaultdict(list)
    for case, findings in cases.items():
        by_file[case[0]].append((case, findings))
    names = {p.id: p.name for p in report.rules}
    root = ET.Element("testsuites", name="arclint")
    total = failed = 0
    for file in sorted(by_file):
        suite = ET.SubElement(root, "testsuite", name=file)
        failures = 0
        for (_, resource, rule), findings in by_file[file]:
            name = f"{rule} {names.get(rule) or findings[0].name}"
            element = ET.SubElement(suite, "testcase", classname=resource or file, name=name, file=file)
            if findings:
                failures += 1
                _failure(element, findings)
        suite.set("tests", str(len(by_file[file])))
        suite.set("failures", str(failures))
        suite.set("errors", "0")
        suite.set("skipped", "0")
        total += len(by_file[file])
        failed += failures
    root.set("tests", str(total))
    root.set("failures", str(failed))
    root.set("errors", "0")
    ET.indent(root)
    text = ET.tostring(root, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + _NOT_XML.sub("\ufffd", text) + "\n"


def _failure(case: ET.Element, findings: list[Finding]) -> None:
    """One ``failure`` (readers accept one per case): the first message, every finding with its evidence."""
    import xml.etree.ElementTree as ET

    lines = []
    for f in findings:
        lines.append(f"{f.file}:{f.line}: {f.severity} {f.rule} {f.message}")
        lines.extend(f"    {e.file}:{e.line}: {e.text}" for e in f.evidence)
    worst = max(findings, key=lambda f: ("info", "warning", "error").index(f.severity))
    failure = ET.SubElement(case, "failure", message=findings[0].message, type=worst.severity)
    failure.text = "\n".join(lines)
