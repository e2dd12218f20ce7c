"""Render rule documentation pages from policy data (``docs/rules/<ID>.md``) and the reference blocks of
``docs/policies.md`` (facts, platforms, roles, named checks) from their registries.

Run ``python -m arclint.docs`` to regenerate both; a test fails when they drift.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

from arclint.policy import BASE_FIELDS, Policy, load_policies


def _fence(code: str) -> str:
    lang = "hcl"
    stripped = code.strip()
    if stripped.startswith("{"):
        lang = "json"
    elif stripped.startswith("$ ") or stripped.startswith("#!"):
        lang = "sh"
    return f"```{lang}\n{stripped}\n```"


def render_rule(policy: Policy) -> str:
    """Return the Markdown page of one rule."""
    scope = []
    if policy.platforms:
        scope.append("platforms " + ", ".join(policy.platforms))
    if policy.roles:
        scope.append("roles " + ", ".join(policy.roles))
    applies = "; ".join(scope) if scope else ("the scan itself" if policy.scan else "every target")
    parts = [
        f"<!-- generated from policies/rules/{policy.path.name} by `python -m arclint.docs`; do not edit -->",
        f"# {policy.id}: {policy.name}",
        "",
        f"**{policy.title}**",
        "",
        f"Default severity: `{policy.default_severity or policy.severity}` · Applies to: {applies}",
        "",
        "## What it does",
        "",
        policy.docs["what"].strip(),
        "",
        "## Why is this bad?",
        "",
        policy.docs["why"].strip(),
        "",
        "## Example",
        "",
        _fence(policy.docs["bad"]),
        "",
        "Use instead:",
        "",
        _fence(policy.docs["good"]),
        "",
        "## How to fix",
        "",
        policy.remediation.strip(),
        "",
    ]
    if policy.docs.get("known-problems"):
        parts += ["## Known problems", "", policy.docs["known-problems"].strip(), ""]
    parts += [
        "## How to suppress",
        "",
        f"Put `# arclint:ignore {policy.id} <reason>` (or `// ...`, `/* ... */`) on the line above the block, or on"
        " its first line;",
        f'in JSON, a `"//": "arclint:ignore {policy.id} <reason>"` key in the block\'s object or on the line above it.',
        f"The readable name works too: `# arclint:ignore {policy.name} <reason>`. `# arclint:ignore-file {policy.id}"
        " <reason>` covers the whole file;",
        "`until=YYYY-MM-DD` after the ids makes a suppression expire after that day.",
        "",
        "## References",
        "",
        f"- {policy.source}",
        "",
    ]
    return "\n".join(parts)


def write_all(folder: Path) -> list[Path]:
    """Write every built-in rule's page into ``folder``; return the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for policy in load_policies():
        path = folder / f"{policy.id}.md"
        path.write_text(render_rule(policy), encoding="utf-8")
        written.append(path)
    return written


def _facts() -> str:
    from arclint.model.vocabulary import FACTS

    rows = [f"| `{f.name}` | {f.type} | {f.meaning} |" for f in FACTS]
    return "\n".join(["| fact | type | meaning |", "| --- | --- | --- |", *rows])


def _names(names: dict[str, str]) -> str:
    return "\n".join(["| name | meaning |", "| --- | --- |", *(f"| `{k}` | {v} |" for k, v in names.items())])


def _parameter(name: str, schema: dict[str, Any], required: bool) -> str:
    kind = " \\| ".join(f"`{v}`" for v in schema["enum"]) if "enum" in schema else schema.get("type", "any")
    note = f" ({schema['description']})" if "description" in schema else ""
    return f"`{name}`: {kind}{note}{'' if required else ' (optional)'}"


def _checks() -> str:
    from arclint.checks import REGISTRY

    rows = ["| check | parameters (`with:`) | message fields besides the base ones |", "| --- | --- | --- |"]
    for name in sorted(REGISTRY):
        check = REGISTRY[name]
        required = check.params["required"]
        params = [_parameter(k, v, k in required) for k, v in check.params["properties"].items()]
        fields = [f"`{{{f}}}`" for f in check.fields]
        fields += [f"`{{{f}}}` (aspect `{a}`)" for a, more in check.by_aspect.items() for f in more]
        doc = (check.run.__doc__ or "").split(":", 1)[0]
        rows.append(f"| `{name}` ({doc}) | {'; '.join(params) or 'none'} | {', '.join(fields) or 'none'} |")
    return "\n".join(rows)


def _base_fields() -> str:
    return ", ".join(f"`{{{f}}}`" for f in BASE_FIELDS)


def _blocks() -> dict[str, Any]:
    from arclint.model.vocabulary import PLATFORMS, ROLES

    return {
        "facts": _facts,
        "platforms": lambda: _names(PLATFORMS),
        "roles": lambda: _names(ROLES),
        "checks": _checks,
        "base-fields": _base_fields,
    }


_BLOCK = re.compile(r"(<!-- generated: ([a-z-]+) [^>]*-->\n)(?:(?!<!-- ).*\n)*(<!-- end -->)")  # lines between


def policy_language(text: str) -> str:
    """``docs/policies.md`` with its generated blocks rendered again from the registries."""
    blocks = _blocks()
    return _BLOCK.sub(lambda m: m.group(1) + blocks[m.group(2)]() + "\n" + m.group(3), text)


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("docs/rules")
    for p in write_all(target):
        print(p)
    language = target.parent / "policies.md"
    if language.is_file():
        language.write_text(policy_language(language.read_text(encoding="utf-8")), encoding="utf-8")
        print(language)
