"""Run policies over targets and turn hits and load errors into findings."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import replace

from arclint import checks
from arclint.core.addresses import instance_label, unkeyed
from arclint.core.errors import LoadError
from arclint.core.internal import located
from arclint.core.limits import MAX_NAMED_INSTANCES
from arclint.findings import Finding
from arclint.model.build import PACKER_TREE
from arclint.model.facts import Evidence
from arclint.model.target import Target
from arclint.policy import Policy, enabled


class _Fields(dict[str, object]):
    """Message fields; a missing one renders as ``?`` rather than failing."""

    def __missing__(self, key: str) -> str:
        return "?"


def _evidence_text(evidence: tuple[Evidence, ...]) -> str:
    return ", ".join(dict.fromkeys(f"{e.file}:{e.line}" for e in evidence)) or "no script line"


def finding(policy: Policy, target: Target, hit: checks.Hit) -> Finding:
    """Build the finding for one hit of ``policy`` on ``target``."""
    fields = _Fields(
        address=target.address,
        type=target.type,
        platform=target.platform,
        role=target.role,
        evidence=_evidence_text(hit.evidence),
        os=target.os.display() if target.os else "unknown OS",
    )
    fields.update(hit.fields)
    return Finding(
        rule=policy.id,
        name=policy.name,
        severity=policy.severity if policy.default_severity else hit.severity or policy.severity,
        message=policy.message.format_map(fields).strip(),
        file=target.loc.file,
        line=target.loc.line,
        end_line=target.loc.end_line,
        resource=target.address,
        remediation=policy.remediation.strip(),
        docs=policy.source,
        evidence=hit.evidence,
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


def check_trees(policies: list[Policy], targets: list[Target], ctx: checks.Context) -> dict[str, list[Finding]]:
    """The findings of each configuration (``Target.tree``); in Terraform, instances of one resource reported once."""
    by_tree: dict[str, list[Target]] = {}
    for target in targets:
        by_tree.setdefault(target.tree, []).append(target)
    out: dict[str, list[Finding]] = {}
    for key, group in by_tree.items():
        found = check_targets(policies, group, ctx)
        out[key] = found if key.startswith(PACKER_TREE) else collapse_instances(found, group)
    return out


def _run(policy: Policy, target: Target, ctx: checks.Context) -> list[Finding]:
    if policy.when is not None:
        if checks.holds(policy.when, target.facts()):
            return [finding(policy, target, checks.Hit(evidence=checks.onboarding_evidence(target)))]
        return []
    if policy.check is not None:
        return [finding(policy, target, hit) for hit in checks.REGISTRY[policy.check].run(target, policy.params, ctx)]
    return []


def collapse_instances(findings: list[Finding], targets: Iterable[Target]) -> list[Finding]:
    """One finding per resource: instances that share a rule and its reason are reported once.

    Instances come from ``count``/``for_each`` on the resource or on any module call above it. Their
    findings are grouped on the address without keys (``module.web.azurerm_linux_virtual_machine.vm``)
    when the rule, the severity and the message (with instance keys taken out) agree; evidence may
    differ in per-instance values. ``targets`` are the targets of one configuration.
    """
    known = {t.address for t in targets}
    totals = Counter(unkeyed(a) for a in known)
    groups: dict[tuple[str, str, str, str], list[Finding]] = {}
    out: list[Finding] = []
    for f in findings:
        base = unkeyed(f.resource)
        if base == f.resource or f.resource not in known:
            out.append(f)
            continue
        groups.setdefault((f.rule, f.severity, base, _without_keys(f.message, f.resource)), []).append(f)
    for (_, _, base, message), items in groups.items():
        total = totals[base]
        if len(items) == 1 and total > 1:
            out.extend(items)  # one instance of several: its own address says it best
            continue
        keys = tuple(instance_label(f.resource) for f in items)
        out.append(
            replace(
                items[0],
                resource=base,
                message=_name_instances(message, base, keys, total),
                instances=keys if total > 1 else (),
            )
        )
    return out


def _without_keys(message: str, address: str) -> str:
    """``message`` with ``address`` and its keyed module prefixes written without instance keys."""
    prefixes = [address]
    for i, c in enumerate(address):
        if c == "." and "[" in address[:i] and address[i - 1] == "]":
            prefixes.append(address[:i])
    for prefix in sorted(set(prefixes), key=len, reverse=True):
        message = message.replace(prefix, unkeyed(prefix))
    return message


def _name_instances(message: str, base: str, keys: tuple[str, ...], total: int) -> str:
    """Name the instances a finding stands for right after the address: ``x (3 instances: a, b, c)``."""
    if total <= 1:
        return message
    shown = ", ".join(keys[:MAX_NAMED_INSTANCES]) + (
        f" and {len(keys) - MAX_NAMED_INSTANCES} more" if len(keys) > MAX_NAMED_INSTANCES else ""
    )
    count = f"{len(keys)} instances" if len(keys) == total else f"{len(keys)} of {total} instances"
    label = f"{base} ({count}: {shown})"
    return message.replace(base, label, 1) if base in message else f"{message} ({count}: {shown})"


def load_error_findings(policies: list[Policy], errors: Iterable[LoadError]) -> list[Finding]:
    """ARC001 for each file that could not be loaded (none when the rule is disabled)."""
    arc001 = enabled(policies, "ARC001")
    return [load_error_finding(arc001, e) for e in errors] if arc001 is not None else []


def load_error_finding(policy: Policy, error: LoadError) -> Finding:
    """ARC001: a file that could not be parsed, at the parser's line."""
    message = policy.message.format_map(_Fields(file=error.path, line=error.line, problem=error.message))
    return line_finding(policy, error.path, error.line, message.strip())


def line_finding(policy: Policy, file: str, line: int, message: str) -> Finding:
    """A finding of a scan rule (ARC001, ARC003): at one line of a file, about no target."""
    return Finding(
        rule=policy.id,
        name=policy.name,
        severity=policy.severity,
        message=message,
        file=file,
        line=line,
        end_line=line,
        resource="",
        remediation=policy.remediation.strip(),
        docs=policy.source,
    )
