"""Decide when several machines connect with one fixed Arc resource name (``--resource-name``)."""

from __future__ import annotations

from collections import defaultdict

from arclint.core.addresses import unkeyed
from arclint.model.facts import Evidence
from arclint.model.target import DYNAMIC, Target

_MANY_ROLES = ("scale-set", "template")


def _names(target: Target) -> list[tuple[str | None, Evidence]]:
    return [(f.signal.detail.get("resource_name"), f.evidence) for f in target.onboarding.of("connect")]


def _fixed(name: str | None) -> bool:
    return bool(name) and not DYNAMIC.search(name or "")


def mark_fixed_names(targets: list[Target]) -> None:
    """Set ``fixed_name`` on targets that give several machines the same literal resource name."""
    groups: dict[tuple[str, str], list[Target]] = defaultdict(list)
    for t in targets:
        if t.role in _MANY_ROLES:
            for name, evidence in _names(t):
                if name and _fixed(name):
                    t.fixed_name = (name, evidence, "every machine it launches")
                    break
        elif (
            t.role == "machine" and "[" in t.address
        ):  # an instance of count/for_each, on the resource or a module call above it
            groups[(t.tree, unkeyed(t.address))].append(t)
    for members in groups.values():
        named = [_names(t) for t in members]
        if len(members) < 2 or not all(named):
            continue
        firsts = [n[0] for n in named]
        values = {name for name, _ in firsts}
        if len(values) == 1 and _fixed(next(iter(values))):
            share = "both instances" if len(members) == 2 else f"all {len(members)} instances"
            for t, (name, evidence) in zip(members, firsts, strict=False):
                t.fixed_name = (str(name), evidence, share)
