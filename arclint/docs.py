"""Render rule documentation pages from policy data (``docs/rules/<ID>.md``).

Run ``python -m arclint.docs`` to regenerate ``docs/rules/``; a test fails when they drift.
"""

from __future__ import annotations

import sys
from pathlib import Path

from arclint.policy import Policy, load_policies


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


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("docs/rules")
    for p in write_all(target):
        print(p)
