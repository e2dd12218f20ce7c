"""Run policies over targets and turn hits and load errors into findings."""
from __future__ import annotations

from typing import Iterable

from arclint import checks
from arclint.findings import Finding
from arclint.internal import located
from arclint.load.errors import LoadError
from arclint.model.target import Evidence, Target
from arclint.policy import Policy


class _Fields(dict):  # type: ignore[type-arg]
    """Message fields; a missing one renders as ``?`` rather than failing."""

    def __missing__(self, key: str) -> str:
        return "?"


def _evidence_text(evidence: tuple[Evidence, ...]) -> str:
    return ", ".join(f"{e.file}:{e.line}" for e in evidence) or "no script line"


def finding(policy: Policy, target: Target, hit: checks.Hit) -> Finding:
    """Build the finding for one hit of ``policy`` on ``target``."""
    fields = _Fields(
        address=target.address, type=target.type, platform=target.platform, role=target.role,
        evidence=_evidence_text(hit.evidence),
        os=target.os.display() if target.os else "unknown OS",
    )
    fields.update(hit.fields)
    return Finding(
        rule=policy.id, name=policy.name, severity=hit.severity or policy.severity,
        message=policy.message.format_map(fields).strip(), file=target.loc.file, line=target.loc.line,
        end_line=target.loc.end_line, resource=target.address, remediation=policy.remediation.strip(),
        docs=policy.source, evidence=hit.evidence,
    )


def check_targets(policies: Iterable[Policy], targets: Iterable[Target], ctx: checks.Context) -> list[Finding]:
    """Run every enabled target policy over every target in its scope."""
    targets = list(targets)
    out: list[Finding] = []
    for policy in policies:
        if not policy.enabled or policy.scan:
            continue
        for target in targets:
            if not policy.applies_to(target.platform, target.role):
                continue
            with located(target.loc.file):
                out.extend(_run(policy, target, ctx))
    return out


def _run(policy: Policy, target: Target, ctx: checks.Context) -> list[Finding]:
    if policy.when is not None:
        if checks.holds(policy.when, target.facts()):
            return [finding(policy, target, checks.Hit(evidence=checks.onboarding_evidence(target)))]
        return []
    if policy.check is not None:
        return [finding(policy, target, hit) for hit in checks.REGISTRY[policy.check](target, policy.params, ctx)]
    return []


def collapse_instances(findings: list[Finding], targets: Iterable[Target]) -> list[Finding]:
    """Report a finding common to every instance of a resource once, on the resource's address."""
    from dataclasses import replace

    instance_of = {t.address: t for t in targets if t.base_address and t.base_address != t.address}
    groups: dict[tuple[str, str], list[tuple[Finding, Target]]] = {}
    out: list[Finding] = []
    for f in findings:
        target = instance_of.get(f.resource)
        if target is None:
            out.append(f)
        else:
            groups.setdefault((f.rule, target.base_address), []).append((f, target))
    for (_, base), items in groups.items():
        generic = {(f.severity, f.message.replace(t.address, base)) for f, t in items}
        if len(items) == items[0][1].instances and len(generic) == 1:
            first, target = items[0]
            out.append(replace(first, resource=base, message=first.message.replace(target.address, base)))
        else:
            out.extend(f for f, _ in items)
    return out


def load_error_finding(policy: Policy, error: LoadError) -> Finding:
    """ARC001: a file that could not be parsed, at the parser's line."""
    message = policy.message.format_map(_Fields(file=error.path, line=error.line, problem=error.message))
    return Finding(
        rule=policy.id, name=policy.name, severity=policy.severity, message=message.strip(), file=error.path,
        line=error.line, end_line=error.line, resource="", remediation=policy.remediation.strip(), docs=policy.source,
    )
