"""Load Terraform plan JSON (``terraform show -json plan.out``) into neutral resource blocks.

Every resource of ``planned_values`` (root and child modules, any depth) becomes a
``PlanResource``: its addresses, the planned values as a neutral block and the actions
and unknown attributes from ``resource_changes``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from arclint.core.addresses import unkeyed as config_address
from arclint.core.document import Attribute, Block, Literal, Loc
from arclint.core.errors import LoadError
from arclint.core.limits import MAX_JSON_NESTING
from arclint.core.stack import deep_stack
from arclint.load.jsonfile import block_like, clean_string, parse_json, refuse_constant

FAST_PATH_CHARS = 5 * 1024 * 1024  # from this size on: json.loads, every Loc at line 1
SNIFF_CHARS = 64 * 1024
# Map-typed attributes: objects that stay attributes only, never nested blocks.
_MAP_ATTRIBUTES = frozenset(
    {
        "tags",
        "tags_all",
        "labels",
        "effective_labels",
        "terraform_labels",
        "metadata",
        "variables",
        "environment_vars",
    }
)
_FORMAT_RE = re.compile(r'"format_version"\s*:')
_PLAN_KEY_RE = re.compile(r'"(?:planned_values|resource_changes)"\s*:')


@dataclass(frozen=True)
class PlanResource:
    """One planned resource instance: addresses, planned values as a block, actions, unknowns."""

    address: str
    config_address: str
    mode: str
    type: str
    name: str
    body: Block
    actions: tuple[str, ...]
    after_unknown: frozenset[str]


# --- detection and addresses ---------------------------------------------------------


def is_plan(text: str) -> bool:
    """Cheaply tell whether ``text`` looks like Terraform plan JSON (first 64 KB only)."""
    head = text[:SNIFF_CHARS].lstrip("\ufeff \t\r\n")
    return head.startswith("{") and bool(_FORMAT_RE.search(head)) and bool(_PLAN_KEY_RE.search(head))


def _instance_address(res: dict[str, Any], module: str) -> str:
    """Rebuild an address for a resource entry that lacks one."""
    prefix = f"{module}." if module else ""
    if res.get("mode") == "data":
        prefix += "data."
    key = f"[{json.dumps(res['index'])}]" if res.get("index") is not None else ""
    return f"{prefix}{res['type']}.{res['name']}{key}"


# --- loading -------------------------------------------------------------------------


def load_plan(text: str, path: str) -> list[PlanResource]:
    """Load every planned resource (plan order), leaving out those only being deleted."""
    data = _parse(text, path)
    if (
        not isinstance(data, dict)
        or "format_version" not in data
        or not ("planned_values" in data or "resource_changes" in data)
    ):
        raise LoadError(
            path, 1, 'not a Terraform plan (needs "format_version" and "planned_values" or "resource_changes")'
        )
    changes = _changes(data.get("resource_changes"))
    root = data.get("planned_values")
    root = root.get("root_module") if isinstance(root, dict) else None
    out: list[PlanResource] = []
    try:
        with deep_stack(MAX_JSON_NESTING * 8 + 200):  # planned values nest up to MAX_JSON_NESTING levels
            for res, module in _module_resources(root, path):
                resource = _resource(res, module, changes, path)
                if resource.actions != ("delete",):
                    out.append(resource)
    except RecursionError:
        raise LoadError(
            path, 1, f"planned values nested deeper than arclint's limit of {MAX_JSON_NESTING} levels"
        ) from None
    return out


def _parse(text: str, path: str) -> Any:
    """Parse with line numbers below ``FAST_PATH_CHARS``, with ``json.loads`` from there on (same bounds)."""
    if len(text) < FAST_PATH_CHARS:
        return parse_json(text, path)
    from arclint.core.values import parse_float, parse_int

    try:
        data = json.loads(text, parse_int=parse_int, parse_float=parse_float, parse_constant=refuse_constant)
    except json.JSONDecodeError as exc:
        raise LoadError(path, exc.lineno, f"invalid JSON: {exc.msg}") from None
    except ValueError as exc:
        raise LoadError(path, 1, f"invalid JSON: {exc}") from None
    except RecursionError:
        raise LoadError(path, 1, f"JSON nested deeper than arclint's limit of {MAX_JSON_NESTING} levels") from None
    if _deeper_than(data, MAX_JSON_NESTING):
        raise LoadError(path, 1, f"JSON nested deeper than arclint's limit of {MAX_JSON_NESTING} levels")
    return _clean_strings(data) if _SURROGATE_ESCAPE_RE.search(text) else data


_SURROGATE_ESCAPE_RE = re.compile(r"\\u[dD][89a-fA-F]")


def _deeper_than(data: Any, limit: int) -> bool:
    """Whether objects and arrays nest deeper than ``limit`` (iterative: any depth is safe)."""
    stack = [(data, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, (dict, list)):
            if depth > limit:
                return True
            stack.extend((v, depth + 1) for v in (item.values() if isinstance(item, dict) else item))
    return False


def _clean_strings(data: Any) -> Any:
    """Replace lone surrogates (``"\\ud800"``) in every string and key, in place: they cannot be printed."""
    if isinstance(data, str):
        return clean_string(data)
    stack = [data]
    while stack:
        item = stack.pop()
        pairs = list(item.items()) if isinstance(item, dict) else list(enumerate(item))
        if isinstance(item, dict):
            item.clear()
        for key, value in pairs:
            value = clean_string(value) if isinstance(value, str) else value
            item[clean_string(key) if isinstance(key, str) else key] = value
            if isinstance(value, (dict, list)):
                stack.append(value)
    return data


def _changes(items: Any) -> dict[str, dict[str, Any]]:
    """Map each address to its ``change`` (deposed objects left out)."""
    out: dict[str, dict[str, Any]] = {}
    for item in items if isinstance(items, list) else []:
        if isinstance(item, dict) and isinstance(item.get("address"), str) and not item.get("deposed"):
            change = item.get("change")
            out[item["address"]] = change if isinstance(change, dict) else {}
    return out


def _module_resources(root: Any, path: str) -> Iterator[tuple[dict[str, Any], str]]:
    """Yield (resource, module address) depth first: a module's resources, then its children."""
    stack = [root] if isinstance(root, dict) else []
    while stack:
        module = stack.pop()
        address: str = module["address"] if isinstance(module.get("address"), str) else ""
        for res in _list(module.get("resources")):
            if (
                not isinstance(res, dict)
                or not isinstance(res.get("type"), str)
                or not isinstance(res.get("name"), str)
            ):
                raise LoadError(path, getattr(res, "line", 1), 'a planned resource needs "type" and "name"')
            yield res, address
        stack.extend(reversed([m for m in _list(module.get("child_modules")) if isinstance(m, dict)]))


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _resource(res: dict[str, Any], module: str, changes: dict[str, dict[str, Any]], path: str) -> PlanResource:
    """Build one ``PlanResource`` from a planned_values entry and its change."""
    address = res["address"] if isinstance(res.get("address"), str) else _instance_address(res, module)
    mode = "data" if res.get("mode") == "data" else "managed"
    change = changes.get(address, {})
    actions = tuple(a for a in _list(change.get("actions")) if isinstance(a, str)) or ("create",)
    values: dict[str, Any] = res["values"] if isinstance(res.get("values"), dict) else {}
    unknown = _unknown(values, change.get("after_unknown"), res.get("after_unknown"))
    loc = Loc(path, getattr(res, "line", 1), getattr(res, "end_line", 1))
    kind = "data" if mode == "data" else "resource"
    body = _block(kind, (res["type"], res["name"]), {k: v for k, v in values.items() if k not in unknown}, loc)
    return PlanResource(address, config_address(address), mode, res["type"], res["name"], body, actions, unknown)


def _unknown(values: dict[str, Any], *sources: Any) -> frozenset[str]:
    """Top-level names known only after apply: wholly unknown, or null with unknown parts."""
    names: set[str] = set()
    for source in sources:
        for name, flag in source.items() if isinstance(source, dict) else ():
            if flag is True or (values.get(name) is None and _has_true(flag)):
                names.add(name)
    return frozenset(names)


def _has_true(flag: Any) -> bool:
    if isinstance(flag, dict):
        return any(_has_true(v) for v in flag.values())
    if isinstance(flag, list):
        return any(_has_true(v) for v in flag)
    return flag is True


def _block(btype: str, labels: tuple[str, ...], values: dict[str, Any], loc: Loc) -> Block:
    """Planned values as a block: Literal attributes; objects and lists of objects also as nested blocks."""
    attrs: dict[str, Attribute] = {}
    blocks: list[Block] = []
    for key, value in values.items():
        attrs[key] = Attribute(key, Literal(value, loc.line), loc)
        if key not in _MAP_ATTRIBUTES and block_like(value, dict):
            blocks.extend(_block(key, (), item, loc) for item in (value if isinstance(value, list) else [value]))
    return Block(btype, labels, attrs, tuple(blocks), loc)
