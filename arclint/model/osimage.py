"""Identify operating systems from image references (Azure Marketplace, AMIs, GCP images, vSphere guest ids,
ISO and template names).

The identification rules are data (``policies/catalogs/os-images.yaml``); whether an OS is supported is
``arclint.matrix``'s question.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from arclint.core.shipped import load_yaml, policy_root

CATALOG_FILE = Path("catalogs", "os-images.yaml")

_PATTERN_KEYS = (
    "publisher",
    "offer",
    "sku",
    "urn",
    "name",
    "project",
    "image",
    "guest_id",
)
_FIELD = re.compile(r"\{(\w+)(?:\|(\w+))?\}")
_OPTIONAL = re.compile(r"\[([^\[\]]*)\]")
_GCP_REF = (
    re.compile(r"^projects/(?P<project>[^/]+)/global/images/(?:family/)?(?P<name>[^/]+)$"),
    re.compile(r"^(?:global/)?(?:images/)?(?:family/)?(?P<name>[^/]+)$"),
    re.compile(r"^(?P<project>[^/]+)/(?:global/images/)?(?:family/)?(?P<name>[^/]+)$"),
)
_GCP_URL = re.compile(r"^https?://[^/]+/compute/[^/]+/")
VERSION = re.compile(
    r"^(?P<base>\d+(?:\.\d+)*)(?:\s*R(?P<r>\d+))?"
    r"(?:\s*SP(?P<lo>\d+)(?:\s*-\s*(?:SP)?(?P<hi>\d+))?)?$",
    re.IGNORECASE,
)
_UNVERIFIED = " (unverified catalog entry)"


def version_numbers(text: str) -> tuple[int, ...]:
    """``"8.10.0"`` as ``(8, 10)``: trailing zeros dropped, so 8.10 and 8.10.0 compare equal."""
    nums = [int(n) for n in text.split(".")]
    while len(nums) > 1 and nums[-1] == 0:
        nums.pop()
    return tuple(nums)


# --------------------------------------------------------------------------------------
# OSInfo


@dataclass(frozen=True)
class OSInfo:
    """What is known about a target's operating system; None means unknown."""

    family: str | None
    version: str | None
    edition: str | None
    arch: str | None
    cis: bool = False
    evidence: str = ""
    readings: tuple[str, ...] = ()  # the versions an ambiguous signal may mean (catalog ``readings``)

    def display(self) -> str:
        """Return a name such as "Ubuntu 16.04", "Windows Server 2008 R2 SP1" or "Windows Server 2012 or 2012 R2"."""
        if self.family is None:
            return "unknown OS"
        parts = [_catalog().families.get(self.family, self.family)]
        if self.readings:
            parts.append(" or ".join(self.readings))
        elif self.version:
            parts.append(self.version)
        if self.edition == "azure-edition":
            parts.append("Azure Edition")
        return " ".join(parts)


# --------------------------------------------------------------------------------------
# The catalog, compiled once


class _LazyRegex:
    """A catalog pattern (case-insensitive), compiled when first searched: a scan compiles only the entries it
    tries, not the hundreds of the catalog (tests/test_startup.py compiles them all)."""

    __slots__ = ("text", "_compiled")

    def __init__(self, text: str) -> None:
        self.text = text
        self._compiled: re.Pattern[str] | None = None

    @property
    def compiled(self) -> re.Pattern[str]:
        if self._compiled is None:
            self._compiled = re.compile(self.text, re.IGNORECASE)
        return self._compiled

    def search(self, value: str) -> re.Match[str] | None:
        return self.compiled.search(value)


@dataclass(frozen=True)
class _ArchRule:
    pattern: _LazyRegex
    arch: str


@dataclass(frozen=True)
class _Entry:
    patterns: tuple[tuple[str, _LazyRegex], ...]
    owners: frozenset[str]
    family: str | None
    version: str | None
    edition: str | None
    arch: str | None
    cis: bool
    unverified: bool
    readings: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Section:
    entries: tuple[_Entry, ...]
    arch_patterns: tuple[_ArchRule, ...]
    default_arch: str | None


@dataclass(frozen=True)
class _NoSystemd:
    family: str
    below: tuple[int, ...] | None
    init: str


@dataclass(frozen=True)
class _Catalog:
    families: Mapping[str, str]
    maps: Mapping[str, Mapping[str, str]]
    tokens: tuple[_ArchRule, ...]
    sizes: Mapping[str, tuple[_ArchRule, ...]]
    sections: Mapping[str, _Section]
    owner_aliases: Mapping[str, frozenset[str]]
    no_systemd: tuple[_NoSystemd, ...] = ()


def _regex(pattern: str) -> _LazyRegex:
    return _LazyRegex(pattern)


def _arch_rules(items: Sequence[Mapping[str, str]]) -> tuple[_ArchRule, ...]:
    return tuple(_ArchRule(_regex(i["pattern"]), i["arch"]) for i in items)


def _entry(raw: Mapping[str, Any]) -> _Entry:
    patterns = tuple((k, _regex(raw[k])) for k in _PATTERN_KEYS if k in raw)
    return _Entry(
        patterns=patterns,
        owners=frozenset(str(o) for o in raw.get("owners", ())),
        family=raw.get("family"),
        version=raw.get("version"),
        edition=raw.get("edition"),
        arch=raw.get("arch"),
        cis=bool(raw.get("cis", False)),
        unverified=bool(raw.get("unverified", False)),
        readings=tuple(str(r) for r in raw.get("readings", ())),
    )


def _section(raw: Mapping[str, Any]) -> _Section:
    return _Section(
        entries=tuple(_entry(e) for e in raw["images"]),
        arch_patterns=_arch_rules(raw.get("arch_patterns", ())),
        default_arch=raw.get("default_arch"),
    )


@functools.lru_cache(maxsize=1)
def _catalog() -> _Catalog:
    """Load and compile the shipped OS image catalog (once per process)."""
    with (policy_root() / CATALOG_FILE).open(encoding="utf-8") as fh:
        raw = load_yaml(fh)
    maps = {name: {str(k).lower(): str(v) for k, v in table.items()} for name, table in raw["maps"].items()}
    aliases = raw["aws"].get("owner_aliases", {})
    return _Catalog(
        families=dict(raw["families"]),
        maps=maps,
        tokens=_arch_rules(raw["arch"]["tokens"]),
        sizes={k: _arch_rules(v) for k, v in raw["arch"]["sizes"].items()},
        sections={k: _section(raw[k]) for k in ("azure", "aws", "gcp", "vsphere", "iso")},
        owner_aliases={k.lower(): frozenset(str(o) for o in v) for k, v in aliases.items()},
        no_systemd=tuple(
            _NoSystemd(r["family"], version_numbers(r["below"]) if "below" in r else None, r["init"])
            for r in raw["no_systemd"]
        ),
    )


# --------------------------------------------------------------------------------------
# Matching


class _Missing(Exception):
    """A template placeholder has no value."""


def _render(template: str, groups: Mapping[str, str], maps: Mapping[str, Mapping[str, str]]) -> str | None:
    """Fill ``{group}`` / ``{group|map}``; drop ``[...]`` segments that lack a value."""

    def field(m: re.Match[str]) -> str:
        value = groups.get(m.group(1), "")
        if m.group(2) and value:
            value = maps[m.group(2)].get(value.lower(), "")
        if not value:
            raise _Missing
        return value

    def optional(m: re.Match[str]) -> str:
        try:
            return _FIELD.sub(field, m.group(1))
        except _Missing:
            return ""

    try:
        return _FIELD.sub(field, _OPTIONAL.sub(optional, template)).strip() or None
    except _Missing:
        return None


def _first_arch(text: str, rules: Sequence[_ArchRule]) -> str | None:
    return next((r.arch for r in rules if r.pattern.search(text)), None)


def _match(entry: _Entry, values: Mapping[str, str | None]) -> dict[str, str] | None:
    """Return the named groups if every pattern of ``entry`` matches.

    A pattern whose key is absent from ``values`` is skipped (unknown GCP project).
    """
    groups: dict[str, str] = {}
    for key, pattern in entry.patterns:
        if key not in values:
            continue
        value = values[key]
        found = pattern.search(value) if value else None
        if found is None:
            return None
        groups.update({k: v for k, v in found.groupdict().items() if v})
    return groups


def _identify(
    section: str,
    values: Mapping[str, str | None],
    text: str,
    evidence: str,
    owners: frozenset[str] | None = None,
) -> OSInfo | None:
    """Apply the first matching entry of a catalog section."""
    cat = _catalog()
    sec = cat.sections[section]
    for entry in sec.entries:
        if owners is not None and not entry.owners & owners:
            continue
        groups = _match(entry, values)
        if groups is None:
            continue
        arch = entry.arch or _first_arch(text, cat.tokens) or _first_arch(text, sec.arch_patterns)
        version = _render(entry.version, groups, cat.maps) if entry.version else None
        readings = tuple(r for r in (_render(t, groups, cat.maps) for t in entry.readings) if r)
        return OSInfo(
            family=entry.family,
            version=version,
            edition=entry.edition,
            arch=arch or sec.default_arch,
            cis=entry.cis,
            evidence=evidence + (_UNVERIFIED if entry.unverified else ""),
            readings=readings if version else (),
        )
    return None


# --------------------------------------------------------------------------------------
# Public identification functions


def from_azure_image(publisher: str | None, offer: str | None, sku: str | None) -> OSInfo | None:
    """Identify an Azure Marketplace image from its publisher, offer and sku."""
    if not (publisher or offer or sku):
        return None
    urn = ":".join(p or "" for p in (publisher, offer, sku))
    values = {"publisher": publisher, "offer": offer, "sku": sku, "urn": urn}
    return _identify("azure", values, urn, f"Azure image {urn}")


def _resolve_owners(owners: Sequence[str]) -> frozenset[str]:
    aliases = _catalog().owner_aliases
    resolved: set[str] = set()
    for owner in owners:
        resolved |= aliases.get(str(owner).lower(), {str(owner)})
    return frozenset(resolved)


def _ami_evidence(owners: Sequence[str], name: str | None, architecture: str | None) -> str:
    text = f"AMI name filter {name}" if name else "AMI"
    if owners:
        text += f" (owners {', '.join(owners)})"
    if architecture:
        text += f", architecture {architecture}"
    return text


def from_aws_ami(owners: Sequence[str], name: str | None, architecture: str | None = None) -> OSInfo | None:
    """Identify an AMI from its owners, name (a filter; ``*`` allowed) and architecture.

    Catalog owners (aliases ``amazon``, ``aws-marketplace`` resolved) are tried first,
    then the AMI names of any owner, then the generic image-name rules (for ``self`` and
    unknown accounts). An ``architecture`` filter overrides the arch read from the name.
    """
    owners = [owners] if isinstance(owners, str) else list(owners)
    evidence = _ami_evidence(owners, name, architecture)
    info = None
    if name:
        values = {"name": name}
        info = (
            _identify("aws", values, name, evidence, owners=_resolve_owners(owners))
            or _identify("aws", values, name, evidence)
            or _identify("iso", values, name, evidence)
        )
    arch = _first_arch(architecture, _catalog().tokens) if architecture else None
    if arch is None:
        return info
    if info is None:
        return OSInfo(None, None, None, arch, evidence=evidence)
    return dataclasses.replace(info, arch=arch)


def _split_gcp(image: str) -> tuple[str | None, str]:
    ref = _GCP_URL.sub("", image.strip()).strip("/")
    for pattern in _GCP_REF:
        found = pattern.match(ref)
        if found:
            return found.groupdict().get("project"), found.group("name")
    return None, ref.rsplit("/", 1)[-1]


def from_gcp_image(image: str) -> OSInfo | None:
    """Identify a GCP image: ``project/family``, a ``projects/...`` link, a name."""
    if not image or not image.strip():
        return None
    project, name = _split_gcp(image)
    values: dict[str, str | None] = {"image": name} if project is None else {"project": project, "image": name}
    evidence = f"GCP image {image.strip()}"
    return _identify("gcp", values, name, evidence) or _identify("iso", {"name": name}, name, evidence)


def from_vsphere_guest_id(guest_id: str) -> OSInfo | None:
    """Identify an OS from a vSphere ``guest_id`` / Packer ``guest_os_type``."""
    gid = (guest_id or "").strip()
    if not gid:
        return None
    return _identify("vsphere", {"guest_id": gid}, gid, f"vSphere guest_id {gid}")


def from_image_name(name: str) -> OSInfo | None:
    """Identify an OS from an ISO, template or custom image name (base name first)."""
    text = (name or "").strip()
    if not text:
        return None
    evidence = f"image name {text}"
    base = re.split(r"[/\\]", text.rstrip("/\\"))[-1]
    found = _identify("iso", {"name": base}, base, evidence)
    if found is None and base != text:
        found = _identify("iso", {"name": text}, text, evidence)
    return found


WINDOWS_FAMILIES = frozenset({"windows-server", "windows-client", "windows-iot", "windows-iot-ltsc"})
DEBIAN_FAMILIES = frozenset({"debian", "ubuntu"})


def init_system(os: OSInfo | None) -> str | None:
    """The init system of a Linux release that has no systemd (e.g. "Upstart"); None if it has or is unknown."""
    if os is None or os.family is None:
        return None
    for row in _catalog().no_systemd:
        if row.family != os.family:
            continue
        if row.below is None:
            return row.init
        found = VERSION.match(os.version or "")
        if found and version_numbers(found["base"]) < row.below:
            return row.init
    return None


def has_systemd(os: OSInfo | None) -> bool | None:
    """Whether the OS runs systemd: False for a release listed without it, True for another Linux release
    whose version is known; None when that cannot be told (Windows, unknown family or version)."""
    if init_system(os) is not None:
        return False
    if os is None or os.family is None or os.family in WINDOWS_FAMILIES or not os.version:
        return None
    return True


def arch_from_size(platform: str, size: str) -> str | None:
    """Return the arch an azure/aws/gcp size implies; None if it tells nothing."""
    rules = _catalog().sizes.get((platform or "").lower())
    if not rules or not size:
        return None
    return _first_arch(size.strip().rsplit("/", 1)[-1], rules)


def merge(primary: OSInfo | None, secondary: OSInfo | None) -> OSInfo | None:
    """Fill the unknown fields of ``primary`` from ``secondary`` (most specific first).

    Version and edition are taken over only when the families agree; a generic
    ``other-linux`` family counts as unknown, so ``other4xLinux64Guest`` + a Rocky ISO
    gives Rocky.
    """
    if primary is None or secondary is None:
        return primary or secondary
    family = None if primary.family == "other-linux" else primary.family
    agree = family is None or secondary.family is None or family == secondary.family
    evidence = "; ".join(dict.fromkeys(e for e in (primary.evidence, secondary.evidence) if e))
    own_version = bool(primary.version) or not agree
    return OSInfo(
        family=family or secondary.family or primary.family,
        version=primary.version if own_version else secondary.version,
        edition=primary.edition if primary.edition or not agree else secondary.edition,
        arch=primary.arch or secondary.arch,
        cis=primary.cis or secondary.cis,
        evidence=evidence,
        readings=primary.readings if own_version else secondary.readings,
    )
