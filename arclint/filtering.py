"""The filter stage: what of the checked findings is reported, and how.

Secrets masked, suppressions applied (with ARC003 for those that matched nothing), findings limited to the
files given when only files were given (a finding is in its own file and in its evidence files), then sorted
and without duplicates.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from arclint import suppress
from arclint.core.document import Document
from arclint.core.files import is_file
from arclint.core.redact import mask_known
from arclint.discover import Input
from arclint.findings import Finding, Suppressed
from arclint.model.facts import Evidence
from arclint.policy import Policy, enabled


def apply(
    findings: list[Finding],
    secrets: list[str],
    docs: list[Document],
    inputs: list[Input],
    paths: Sequence[Path],
    policies: list[Policy],
    governance: suppress.Governance,
    as_of: datetime.date,
) -> tuple[list[Finding], list[Suppressed]]:
    """The findings to report, in order (file, line, rule, resource), and those suppressions hid."""
    findings = _redact(findings, secrets)
    applied = suppress.apply(findings, suppress.placed(docs), policies, governance, as_of)
    findings, suppressed = applied.kept, applied.suppressed
    unused = [u for u in applied.unused if not _all_disabled(u.suppression.rules, policies)]
    arc003 = enabled(policies, "ARC003")
    if arc003 is not None:
        findings.extend(suppress.unused_finding(arc003, u) for u in unused)
    explicit = given_files(docs, inputs, paths)
    if explicit is not None:
        findings = [f for f in findings if _touches(f, explicit)]
        suppressed = [s for s in suppressed if _touches(s.finding, explicit)]
    suppressed.sort(key=lambda s: s.finding.sort_key())
    return _dedupe(sorted(findings, key=Finding.sort_key)), suppressed


_VAR_KINDS = ("tfvars", "tfvars-json", "pkrvars")
_VALUE_BLOCKS = ("variable", "locals")  # Terraform and Packer alike


def given_files(docs: list[Document], inputs: list[Input], paths: Sequence[Path]) -> set[str] | None:
    """The files (as shown) findings are limited to when only files were given (no folder, no plan), else None.

    A given file that sets values for its whole folder (a variable file, or a file declaring variables or
    locals, whose values any resource there may read) stands for every file there.
    """
    explicit = {i.display for i in inputs if i.explicit}
    plan_given = any(d.kind == "plan" and d.path in explicit for d in docs)
    if not explicit or plan_given or not all(is_file(p) for p in paths):
        return None
    declaring = {d.path for d in docs if d.path in explicit and _declares_values(d)}
    value_folders = {i.path.parent for i in inputs if i.explicit and (i.kind in _VAR_KINDS or i.display in declaring)}
    return explicit | {i.display for i in inputs if i.path.parent in value_folders}


def _declares_values(doc: Document) -> bool:
    return any(b.type in _VALUE_BLOCKS for b in doc.body.blocks)


def _touches(finding: Finding, files: set[str]) -> bool:
    """Whether the finding's own file or one of its evidence files is among ``files`` (a change to any of
    them may change the finding)."""
    return finding.file in files or any(e.file in files for e in finding.evidence)


def _all_disabled(rules: tuple[str, ...], policies: list[Policy]) -> bool:
    """Whether every rule a suppression names is turned off (the configuration's ``ignore``): such a
    suppression matched nothing because the rule did not run, not because it is misplaced."""
    off = {key for p in policies if not p.enabled for key in (p.id, p.name)}
    return bool(rules) and all((r.upper() if r.upper().startswith("ARC") else r) in off for r in rules)


def _redact(findings: list[Finding], secrets: list[str]) -> list[Finding]:
    """Replace every secret in messages and evidence by ``****``."""
    if not secrets:
        return findings
    out = []
    for f in findings:
        evidence = tuple(Evidence(e.file, e.line, mask_known(e.text, secrets)) for e in f.evidence)
        out.append(replace(f, message=mask_known(f.message, secrets), evidence=evidence))
    return out


def _dedupe(findings: list[Finding]) -> list[Finding]:
    seen: set[tuple[str, str, int, str, str]] = set()
    out: list[Finding] = []
    for f in findings:
        key = (f.rule, f.file, f.line, f.resource, f.message)
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out
