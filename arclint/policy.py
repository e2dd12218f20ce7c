"""Load policy files (YAML) and validate them against ``policies/schema/policy.schema.json``."""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from arclint.core.shipped import policy_root


class PolicyError(Exception):
    """A policy file that is not valid: names the file, the path inside it and the problem."""


class SelectionError(PolicyError):
    """A rule selector (in ``select``, ``ignore`` or ``severity``) that names no rule: a typo must not select
    nothing. ``key`` is the setting, ``selector`` the text, ``problem`` the message without them."""

    def __init__(self, key: str, selector: str) -> None:
        self.key = key
        self.selector = selector
        self.problem = (
            f"no rule matches {selector!r} (a rule id such as ARC101, an id prefix such as ARC4, or a rule name;"
            " `arclint rules` lists them)"
        )
        super().__init__(f"at {key}: {self.problem}")


@dataclass(frozen=True)
class Policy:
    """One rule, as data."""

    id: str
    name: str
    title: str
    severity: str
    message: str
    remediation: str
    source: str
    docs: dict[str, str]
    path: Path
    enabled: bool = True
    platforms: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    when: dict[str, Any] | None = None
    check: str | None = None
    params: dict[str, Any] = field(default_factory=dict)
    scan: bool = False
    default_severity: str | None = None  # set when configured: ``severity`` then holds for every finding

    def applies_to(self, platform: str, role: str) -> bool:
        """Whether a target of this platform and role is in the policy's scope."""
        return (not self.platforms or platform in self.platforms) and (not self.roles or role in self.roles)


@functools.cache
def _schema() -> dict[str, Any]:
    with open(policy_root() / "schema" / "policy.schema.json", encoding="utf-8") as fh:
        result: dict[str, Any] = json.load(fh)
    return result


def _where(path: list[Any] | Any) -> str:
    parts = [str(p) for p in path]
    return "/".join(parts) if parts else "(top level)"


def load_policy_file(file: Path, path: Path | None = None) -> Policy:
    """Read and validate one policy ``file``, or raise ``PolicyError`` naming it as ``path`` (default: ``file``)."""
    import jsonschema
    import yaml

    from arclint.core.shipped import load_yaml

    path = path or file
    try:
        data = load_yaml(file.read_text(encoding="utf-8"))
    except OSError as exc:
        raise PolicyError(f"{path}: cannot be read ({exc.strerror})") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" line {mark.line + 1}" if mark is not None else ""
        raise PolicyError(f"{path}:{line}: not valid YAML ({getattr(exc, 'problem', exc)})") from None
    validator = jsonschema.Draft202012Validator(_schema())
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    if errors:
        err = jsonschema.exceptions.best_match(errors) or errors[0]
        raise PolicyError(f"{path}: at {_where(list(err.absolute_path))}: {err.message}")
    from arclint import checks

    if data.get("check") and data["check"] not in checks.REGISTRY:
        known = ", ".join(sorted(checks.REGISTRY))
        raise PolicyError(f"{path}: at check: unknown check {data['check']!r} (known: {known})")
    applies = data.get("applies-to", {})
    return Policy(
        id=data["id"],
        name=data["name"],
        title=data["title"],
        severity=data["severity"],
        message=data["message"],
        remediation=data["remediation"],
        source=data["source"],
        docs=data["docs"],
        path=path,
        enabled=data.get("enabled", True),
        platforms=tuple(applies.get("platforms", ())),
        roles=tuple(applies.get("roles", ())),
        when=data.get("when"),
        check=data.get("check"),
        params=data.get("with", {}),
        scan=bool(data.get("scan")),
    )


def load_policies(extra_dirs: tuple[Path, ...] = (), base: Path | None = None) -> list[Policy]:
    """Load the built-in policies and those in ``extra_dirs`` (relative ones under ``base``; named as given);
    ids and names must be unique."""
    files = [(f, f) for f in sorted((policy_root() / "rules").glob("*.yaml"))]
    for folder in extra_dirs:
        found = base / folder if base is not None else folder
        if not found.is_dir():
            raise PolicyError(f"{folder}: policy folder does not exist")
        files.extend((f, folder / f.name) for f in sorted(found.glob("*.y*ml")))
    seen: dict[str, Path] = {}
    out: list[Policy] = []
    for file, path in files:
        policy = load_policy_file(file, path)
        for key in (policy.id, policy.name):
            if key in seen:
                raise PolicyError(f"{path}: at id: {key!r} is already defined in {seen[key]}")
            seen[key] = path
        out.append(policy)
    return sorted(out, key=lambda p: p.id)


def resolve(policies: list[Policy], key: str) -> Policy | None:
    """Find a policy by id or name (case-insensitive id)."""
    for p in policies:
        if key.upper() == p.id or key == p.name:
            return p
    return None


ALWAYS_SELECTED = "ARC001"  # a file that could not be parsed: ``select`` never hides it, only ``ignore`` does


def selects(selector: str, policy: Policy) -> int:
    """How specifically ``selector`` names ``policy``: 0 not at all, the prefix's length for an id prefix
    (``ARC4``), more than any prefix for its id or name (ids compared case-insensitively)."""
    key = selector.strip()
    if key == policy.name or key.upper() == policy.id:
        return 1000
    return len(key) if key and policy.id.startswith(key.upper()) else 0


def configure(
    policies: list[Policy],
    select: tuple[str, ...] = (),
    ignore: tuple[str, ...] = (),
    severities: tuple[tuple[str, str], ...] = (),
) -> list[Policy]:
    """The policies with a configuration's rule selection and severities applied.

    ``select`` (empty: every rule) keeps exactly the rules it names (ids, id prefixes such as ``ARC4``, or
    names) and ARC001, which only ``ignore`` turns off; ``ignore`` wins over ``select``; neither enables a
    policy its file disables. ``severities`` are (selector, severity) pairs: the most specific selector wins
    (an id or name over a prefix, a longer prefix over a shorter one, then the later pair), and the severity
    is that of every finding of the rule, including those a check would give another. A selector that
    names no rule raises ``SelectionError``.
    """
    for key, selectors in (("select", select), ("ignore", ignore), ("severity", tuple(s for s, _ in severities))):
        for selector in selectors:
            if not any(selects(selector, p) for p in policies):
                raise SelectionError(key, selector)
    out = []
    for p in policies:
        chosen = not select or p.id == ALWAYS_SELECTED or any(selects(s, p) for s in select)
        enabled = p.enabled and chosen and not any(selects(s, p) for s in ignore)
        ranked = [(selects(s, p), i, level) for i, (s, level) in enumerate(severities) if selects(s, p)]
        if ranked:
            level = max(ranked)[2]
            out.append(replace(p, enabled=enabled, severity=level, default_severity=p.default_severity or p.severity))
        else:
            out.append(replace(p, enabled=enabled))
    return out
