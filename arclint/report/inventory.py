"""The inventory: every machine, group, template, image build and image a scan found, with the facts that decide
the rules (platform, OS, architecture, lifecycle, onboarding) and the evidence for each, as a table, JSON or a
Mermaid diagram of image builds -> images -> machines. ``diagram`` is what a markdown report embeds."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field

from arclint import __version__
from arclint.core.redact import mask_known
from arclint.model.facts import Evidence, ImageRef
from arclint.model.target import Target

ROLES = ("machine", "scale-set", "template", "image-build", "image")  # the roles listed (not providers, modules)


@dataclass
class Inventory:
    """What a scan found, before the rules run; ``secrets`` are masked in every text shown."""

    targets: list[Target]
    secrets: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def listed(self) -> list[Target]:
        """The targets of the listed roles, in the model's order."""
        return [t for t in self.targets if t.role in ROLES]


def onboarding(target: Target) -> tuple[str, Evidence | None]:
    """How the target meets the agent: ``connect`` (connects while built or booted), ``deferred`` (a connect
    registered for a later boot: first boot of machines made from the image), ``install`` (the agent only),
    ``none``; with the line that shows it."""
    o = target.onboarding
    for state, found in (
        ("connect", o.of("connect", "now")),
        ("deferred", o.of("connect", "deferred")),
        ("install", o.of("install")),
    ):
        if found:
            return state, found[0].evidence
    return "none", None


def render_json(inventory: Inventory, color: bool = False) -> str:
    """One JSON object: version, targets (each with its facts and evidence), errors."""
    mask = _masker(inventory)
    data = {
        "version": __version__,
        "targets": [_target_json(t, mask) for t in inventory.listed()],
        "errors": list(inventory.errors),
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _target_json(t: Target, mask: Callable[[str], str]) -> dict[str, object]:
    def ev(e: Evidence | None) -> dict[str, object] | None:
        return None if e is None else {"file": e.file, "line": e.line, "text": mask(e.text)}

    def image(r: ImageRef) -> dict[str, object]:
        return {"kind": r.kind, "name": mask(r.name), "evidence": ev(r.evidence)}

    state, proof = onboarding(t)
    os = t.os
    return {
        "address": t.address,
        "type": t.type,
        "role": t.role,
        "platform": t.platform,
        "file": t.loc.file,
        "line": t.loc.line,
        "os": {
            "name": os.display() if os and os.family else None,
            "family": os.family if os else None,
            "version": os.version if os else None,
            "arch": os.arch if os else None,
            "evidence": ev(t.os_evidence),
        },
        "lifecycle": [{"kind": kind, "evidence": ev(e)} for kind, e in sorted(t.lifecycle.items())],
        "onboarding": {"state": state, "evidence": ev(proof)},
        "produces": [image(r) for r in t.image_outputs],
        "uses": [image(r) for r in t.image_refs],
        "built_from": [{"build": p.address, "image": mask(out.name)} for p, _, out in t.built_from],
        "captured_from": [{"machine": s.address, "evidence": ev(e)} for s, e in t.captured_from],
        "unknowns": [{"subject": mask(u.subject), "reason": mask(u.reason)} for u in t.unknowns],
    }


def render_table(inventory: Inventory, color: bool = False) -> str:
    """One row per target (role, address, platform, OS, architecture, lifecycle, onboarding, file:line), the
    evidence indented below it, then a count."""
    mask = _masker(inventory)
    listed = inventory.listed()
    head = ("ROLE", "TARGET", "PLATFORM", "OS", "ARCH", "LIFECYCLE", "ONBOARDING", "WHERE")
    rows = [head, *(_row(t) for t in listed)]
    widths = [max(len(r[i]) for r in rows) for i in range(len(head) - 1)]
    lines: list[str] = []
    for i, row in enumerate(rows):
        lines.append("  ".join([*(c.ljust(w) for c, w in zip(row, widths, strict=False)), row[-1]]).rstrip())
        if i:
            lines.extend(f"    {text}" for text in _evidence(listed[i - 1], mask))
    noun = "target" if len(listed) == 1 else "targets"
    lines.append(f"{len(listed)} {noun}")
    return "\n".join(lines) + "\n"


def _row(t: Target) -> tuple[str, ...]:
    os = t.os
    return (
        t.role,
        t.address,
        t.platform,
        os.display() if os and os.family else "unknown",
        (os.arch if os else None) or "unknown",
        ", ".join(sorted(t.lifecycle)) or "-",
        onboarding(t)[0],
        f"{t.loc.file}:{t.loc.line}",
    )


def _evidence(t: Target, mask: Callable[[str], str]) -> list[str]:
    def at(e: Evidence) -> str:
        return f"{e.file}:{e.line}: {mask(e.text)}"

    out = []
    if t.os_evidence is not None:
        out.append(f"os: {at(t.os_evidence)}")
    out.extend(f"lifecycle {kind}: {at(e)}" for kind, e in sorted(t.lifecycle.items()))
    state, proof = onboarding(t)
    if proof is not None:
        out.append(f"onboarding {state}: {at(proof)}")
    out.extend(f"produces {r.kind} {mask(r.name)}: {at(r.evidence)}" for r in t.image_outputs)
    out.extend(f"built from {p.address} ({mask(o.name)}): {at(r.evidence)}" for p, r, o in t.built_from)
    out.extend(f"captured from {s.address}: {at(e)}" for s, e in t.captured_from)
    out.extend(f"unknown {mask(u.subject)}: {mask(u.reason)}" for u in t.unknowns)
    return out


def render_mermaid(inventory: Inventory, color: bool = False) -> str:
    """The diagram, or an empty flowchart with a comment when no build, image or link was found."""
    return diagram(inventory.targets) or "flowchart LR\n  %% no image builds, images or links found\n"


def diagram(targets: list[Target]) -> str | None:
    """A Mermaid ``flowchart LR`` of image builds -> the images they produce -> the machines made from them, and
    machines -> the images captured from them; None when there is nothing to draw (no build output, no link).

    Shapes: build ``[[...]]``, image ``[(...)]``, machine or group ``[...]``; nodes are numbered in order."""
    nodes: dict[tuple[str, str], str] = {}
    lines: list[str] = []
    edges: list[str] = []

    def node(key: tuple[str, str], label: tuple[str, str], shape: tuple[str, str]) -> str:
        if key not in nodes:
            nodes[key] = f"n{len(nodes)}"
            lines.append(f'  {nodes[key]}{shape[0]}"{_label(label[0])}<br/>{_label(label[1])}"{shape[1]}')
        return nodes[key]

    def target(t: Target) -> str:
        shape = ("[[", "]]") if t.role == "image-build" else ("[(", ")]") if t.role == "image" else ("[", "]")
        return node(("target", t.address + "@" + t.tree), (t.address, t.role), shape)

    def image(build: Target, out: ImageRef) -> str:
        key = ("image", f"{build.address}@{build.tree}>{out.kind}:{out.name}")
        return node(key, (out.name, out.kind), ("[(", ")]"))

    for t in targets:
        for out in t.image_outputs:
            edges.append(f"  {target(t)} --> {image(t, out)}")
    for t in targets:
        for build, _, out in t.built_from:
            edges.append(f"  {image(build, out)} --> {target(t)}")
        for source, _ in t.captured_from:
            edges.append(f"  {target(source)} -->|captured| {target(t)}")
    if not edges:
        return None
    return "\n".join(["flowchart LR", *lines, *dict.fromkeys(edges)]) + "\n"


def _label(text: str) -> str:
    """Text safe inside a quoted Mermaid label (entity codes for quotes and angle brackets)."""
    return text.replace("&", "#amp;").replace('"', "#quot;").replace("<", "#lt;").replace(">", "#gt;")


def _masker(inventory: Inventory) -> Callable[[str], str]:
    return lambda text: mask_known(text, inventory.secrets)


RENDERERS: dict[str, Callable[[Inventory, bool], str]] = {
    "table": render_table,
    "json": render_json,
    "mermaid": render_mermaid,
}
