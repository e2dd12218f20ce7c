"""Load policy files (YAML) and check them when loaded: the schema (``policies/schema/policy.schema.json``, with
the facts, platforms and roles of ``arclint.model.vocabulary``), each named check's parameters, message fields,
and user files that disable a built-in rule or change its severity."""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from arclint.core.limits import MAX_CONDITION_DEPTH
from arclint.core.shipped import key_path, policy_root


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
    override: Path | None = None  # the user policy file that disabled it or changed its severity

    def applies_to(self, platform: str, role: str) -> bool:
        """Whether a target of this platform and role is in the policy's scope."""
        return (not self.platforms or platform in self.platforms) and (not self.roles or role in self.roles)


SCAN_FIELDS = {"ARC001": ("file", "line", "problem"), "ARC003": ("rules",)}  # scan rules' message fields
BASE_FIELDS = ("address", "type", "platform", "role", "evidence", "os")  # every target policy's message fields
OVERRIDE_KEYS = frozenset({"id", "name", "enabled", "severity"})  # what a policy file may set on a built-in


@functools.cache
def _schema() -> dict[str, Any]:
    """The shipped schema with the enums of ``arclint.model.vocabulary`` filled in (facts, platforms, roles)."""
    from arclint.model.vocabulary import FACT_NAMES, PLATFORMS, ROLES

    with open(policy_root() / "schema" / "policy.schema.json", encoding="utf-8") as fh:
        result: dict[str, Any] = json.load(fh)
    result["$defs"]["fact"]["enum"] = list(FACT_NAMES)
    result["$defs"]["platform"]["enum"] = list(PLATFORMS)
    result["$defs"]["role"]["enum"] = list(ROLES)
    return result


def _unknown(what: str, name: object, known: list[str], listing: str = "") -> str:
    """``unknown platform 'awss' (did you mean 'aws'? known: ...)``; ``listing`` replaces the list of known names."""
    import difflib

    close = difflib.get_close_matches(str(name), known, n=1, cutoff=0.6)
    hint = f"did you mean {close[0]!r}? " if close else ""
    return f"unknown {what} {name!r} ({hint}{listing or 'known: ' + ', '.join(known)})"


def _read(file: Path, path: Path) -> Any:
    """The YAML data of a policy file (safe loader), or ``PolicyError``."""
    import yaml

    from arclint.core.shipped import load_yaml

    try:
        return load_yaml(file.read_text(encoding="utf-8"))
    except OSError as exc:
        raise PolicyError(f"{path}: cannot be read ({exc.strerror})") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" line {mark.line + 1}:" if mark is not None else ""
        raise PolicyError(f"{path}:{line} not valid YAML ({getattr(exc, 'problem', exc)})") from None


def load_policy_file(file: Path, path: Path | None = None, *, validate: bool = True) -> Policy:
    """Read and validate one policy ``file``, or raise ``PolicyError`` naming it as ``path`` (default: ``file``).

    ``validate=False`` only builds it: for the built-in rules, which the test suite validates (a scan does not
    pay for the schema and jsonschema's import each run)."""
    path = path or file
    return _policy(_read(file, path), path, validate=validate)


def built_in_files() -> list[Path]:
    """The built-in rules' policy files, in id order."""
    return sorted((policy_root() / "rules").glob("*.yaml"))


def _conditions(when: object) -> list[tuple[list[Any], dict[str, Any]]]:
    """Every ``fact`` condition of a ``when`` tree with its key path; ``PolicyError`` for a tree nested deeper than
    ``MAX_CONDITION_DEPTH`` (the schema and ``checks.holds`` recurse)."""
    out: list[tuple[list[Any], dict[str, Any]]] = []
    stack: list[tuple[list[Any], object]] = [(["when"], when)]
    while stack:
        path, node = stack.pop()
        if not isinstance(node, dict):
            continue
        if sum(1 for p in path if p in ("all", "any", "not")) > MAX_CONDITION_DEPTH:
            raise PolicyError(f"at when: conditions nested deeper than arclint's limit of {MAX_CONDITION_DEPTH} levels")
        if "fact" in node:
            out.append((path, node))
        for key in ("all", "any"):
            items = node.get(key)
            if isinstance(items, list):
                stack.extend(([*path, key, i], item) for i, item in enumerate(items))
        if "not" in node:
            stack.append(([*path, "not"], node["not"]))
    return sorted(out, key=lambda item: [str(p) for p in item[0]])


def _names(data: dict[str, Any], path: Path) -> None:
    """Facts, platforms and roles must be known: a misspelt one names its key path and the closest known name."""
    from arclint.model.vocabulary import FACT_NAMES, PLATFORMS, ROLES

    try:
        conditions = _conditions(data.get("when"))
    except PolicyError as exc:
        raise PolicyError(f"{path}: {exc}") from None
    for where, condition in conditions:
        fact = condition["fact"]
        if isinstance(fact, str) and fact not in FACT_NAMES:
            problem = _unknown("fact", fact, list(FACT_NAMES), "`arclint facts` lists them")
            raise PolicyError(f"{path}: at {key_path([*where, 'fact'])}: {problem}")
    applies = data.get("applies-to")
    for key, known_names in (("platforms", list(PLATFORMS)), ("roles", list(ROLES))):
        items = applies.get(key) if isinstance(applies, dict) else None
        for i, item in enumerate(items if isinstance(items, list) else ()):
            if isinstance(item, str) and item not in known_names:
                problem = _unknown(key[:-1], item, known_names)
                raise PolicyError(f"{path}: at {key_path(['applies-to', key, i])}: {problem}")


def _schema_errors(data: object, schema: dict[str, Any], path: Path, prefix: list[Any]) -> None:
    """Validate ``data`` against ``schema``; the best error names the key path under ``prefix``."""
    import jsonschema

    validator = jsonschema.Draft202012Validator(schema)
    errors = sorted(validator.iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path])
    if not errors:
        return
    err = jsonschema.exceptions.best_match(errors) or errors[0]
    where = [*prefix, *err.absolute_path]
    message = err.message
    if prefix and err.validator == "required" and isinstance(err.instance, dict):
        missing = sorted(set(err.validator_value) - set(err.instance))
        where, message = [*where, missing[0]], "missing: a required parameter"
    elif prefix and err.validator == "additionalProperties" and isinstance(err.instance, dict):
        allowed = sorted(err.schema.get("properties", {}))
        extra = sorted(set(err.instance) - set(allowed))
        takes = f"it takes {', '.join(allowed)}" if allowed else "it takes none"
        where, message = [*where, extra[0]], f"not a parameter ({takes})"
    raise PolicyError(f"{path}: at {key_path(where)}: {message}")


def _fields(message: str, known: tuple[str, ...], path: Path) -> None:
    """Every ``{field}`` of ``message`` must be one of ``known``; braces must be closed (``{{`` for a literal one)."""
    import string

    try:
        parsed = list(string.Formatter().parse(message))
    except ValueError as exc:
        raise PolicyError(f"{path}: at message: {exc} (write {{{{ and }}}} for a literal brace)") from None
    for _, name, spec, _ in parsed:
        if name is None:
            continue
        if name not in known or (spec and "{" in spec):
            raise PolicyError(
                f"{path}: at message: unknown field {{{name}}} (this policy's fields: {', '.join(known)})"
            )


def _policy(data: Any, path: Path, *, user: bool = False, validate: bool = True) -> Policy:
    """Validate a whole policy's data and build it; ``user``: from a policy folder (no scan rules);
    ``validate=False``: build it only (a built-in rule, validated by the test suite)."""
    from arclint import checks

    if not validate:
        return _build(data, path)
    if isinstance(data, dict):
        _names(data, path)
        if user and "scan" in data:
            scan = ", ".join(SCAN_FIELDS)
            raise PolicyError(
                f"{path}: at scan: scan rules are built in: {scan}; a policy file may disable them or change"
                " their severity by id, not define new ones"
            )
    _schema_errors(data, _schema(), path, [])
    check = data.get("check")
    params = data.get("with", {})
    if check is not None and check not in checks.REGISTRY:
        raise PolicyError(f"{path}: at check: {_unknown('check', check, sorted(checks.REGISTRY))}")
    if check is not None:
        _schema_errors(params, checks.REGISTRY[check].params, path, ["with"])
        fields = BASE_FIELDS + checks.REGISTRY[check].fields_for(params)
    elif data.get("scan"):
        fields = SCAN_FIELDS.get(data["id"], ())
    else:
        fields = BASE_FIELDS
    _fields(data["message"], fields, path)
    return _build(data, path)


def _build(data: dict[str, Any], path: Path) -> Policy:
    """The ``Policy`` of valid policy data."""
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


def _built_in(data: Any, builtins: dict[str, Policy]) -> Policy | None:
    """The built-in rule a user policy's ``id`` or ``name`` names, if any."""
    if not isinstance(data, dict):
        return None
    for key in ("id", "name"):
        value = data.get(key)
        if isinstance(value, str) and value in builtins:
            return builtins[value]
    return None


def _override(policy: Policy, data: dict[str, Any], path: Path) -> Policy:
    """A built-in rule as a user policy file sets it: only ``enabled`` and ``severity`` may change."""
    for key in sorted(data, key=str):
        if key not in OVERRIDE_KEYS:
            raise PolicyError(
                f"{path}: at {key_path([key])}: {policy.id} ({policy.name}) is a built-in rule: a policy file may set"
                " only its enabled and severity; its logic cannot be redefined (copy it under a new id instead)"
            )
    for key, own in (("id", policy.id), ("name", policy.name)):
        if key in data and data[key] != own:
            raise PolicyError(f"{path}: at {key}: {data[key]!r} is not {policy.id} ({policy.name})'s {key}")
    if "enabled" not in data and "severity" not in data:
        raise PolicyError(f"{path}: at (top level): an override of {policy.id} sets enabled and/or severity")
    properties = {"enabled": {"type": "boolean"}, "severity": _schema()["properties"]["severity"]}
    _schema_errors(data, {"type": "object", "properties": properties}, path, [])
    changed = "severity" in data and data["severity"] != policy.severity
    return replace(
        policy,
        enabled=data.get("enabled", policy.enabled),
        severity=data.get("severity", policy.severity),
        default_severity=policy.severity if changed else policy.default_severity,  # it holds for every finding
        override=path,
    )


def load_policies(extra_dirs: tuple[Path, ...] = (), base: Path | None = None) -> list[Policy]:
    """Load the built-in policies and those in ``extra_dirs`` (relative ones under ``base``; named as given).

    Ids and names must be unique; a user file naming a built-in rule may only disable it or change its severity."""
    out = {p.id: p for p in (load_policy_file(f, validate=False) for f in built_in_files())}
    builtins = {key: p for p in out.values() for key in (p.id, p.name)}
    seen: dict[str, Path] = {key: p.path for key, p in builtins.items()}
    for folder in extra_dirs:
        found = base / folder if base is not None else folder
        if not found.is_dir():
            raise PolicyError(f"{folder}: policy folder does not exist")
        for file in sorted(found.glob("*.y*ml")):
            path = folder / file.name
            data = _read(file, path)
            builtin = _built_in(data, builtins)
            if builtin is not None:
                if out[builtin.id].override is not None:
                    raise PolicyError(f"{path}: at id: {builtin.id} is already set in {out[builtin.id].override}")
                out[builtin.id] = _override(builtin, data, path)
                continue
            policy = _policy(data, path, user=True)
            for key in (policy.id, policy.name):
                if key in seen:
                    raise PolicyError(f"{path}: at id: {key!r} is already defined in {seen[key]}")
                seen[key] = path
            out[policy.id] = policy
    return sorted(out.values(), key=lambda p: p.id)


def resolve(policies: list[Policy], key: str) -> Policy | None:
    """Find a policy by id or name (case-insensitive id)."""
    for p in policies:
        if key.upper() == p.id or key == p.name:
            return p
    return None


def enabled(policies: list[Policy], rule: str) -> Policy | None:
    """The policy of rule id ``rule`` when it runs (None when it is missing or turned off)."""
    return next((p for p in policies if p.id == rule and p.enabled), None)


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
    for selector, level in severities:
        if level not in ("error", "warning", "info"):
            raise PolicyError(f"severity: {level!r} for {selector} is not error, warning or info")
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
