"""Identify operating systems from image references; look them up in the support matrix.

The identification rules are data (``policies/catalogs/os-images.yaml``); the support
table is one YAML file per edition of Microsoft's prerequisites page
(``policies/matrix/<date>.yaml``).
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from arclint.core.shipped import load_yaml, policy_root

CATALOG_FILE = Path("catalogs", "os-images.yaml")
MATRIX_DIR = Path("matrix")
MATRIX_SCHEMA = Path("schema", "matrix.schema.json")

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
_VERSION = re.compile(
    r"^(?P<base>\d+(?:\.\d+)*)(?:\s*R(?P<r>\d+))?"
    r"(?:\s*SP(?P<lo>\d+)(?:\s*-\s*(?:SP)?(?P<hi>\d+))?)?$",
    re.IGNORECASE,
)
_UNVERIFIED = " (unverified catalog entry)"


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


@dataclass(frozen=True)
class _ArchRule:
    pattern: re.Pattern[str]
    arch: str


@dataclass(frozen=True)
class _Entry:
    patterns: tuple[tuple[str, re.Pattern[str]], ...]
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


def _regex(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


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
            _NoSystemd(r["family"], _numbers(r["below"]) if "below" in r else None, r["init"])
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
        found = _VERSION.match(os.version or "")
        if found and _numbers(found["base"]) < row.below:
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


# --------------------------------------------------------------------------------------
# The support matrix


class MatrixError(ValueError):
    """An OS support matrix file is missing, unreadable or violates its schema."""


@dataclass(frozen=True)
class Support:
    """The support matrix's answer for one OS."""

    status: str  # supported | limited | retired | unlisted
    arm64: bool | None
    last_agent: str | None
    end_date: datetime.date | None
    row: str
    note: str | None
    download: str | None = None
    at_best: bool = False  # the mildest of several readings, every one of which is a finding

    @property
    def fine(self) -> bool:
        """Whether this answer is no finding at all (the OS is fully supported)."""
        return self.status == "supported"

    @property
    def _mildness(self) -> tuple[int, int]:
        """Sort key, mildest first: limited (longest support first; no end date = longest), then unlisted."""
        if self.status in ("limited", "retired"):
            return (0, -(self.end_date.toordinal() if self.end_date else datetime.date.max.toordinal()))
        return (1, 0)


@dataclass(frozen=True)
class MatrixRow:
    """One row of the table (or of its ``retired`` history)."""

    os: str
    family: str
    version: str
    status: str
    arm64: bool | None = None
    label: str | None = None
    edition: str | None = None
    last_agent: str | None = None
    end_date: datetime.date | None = None
    download: str | None = None
    note: str | None = None

    @property
    def shown(self) -> str:
        """Return the row as the table shows it, e.g. "Ubuntu 16.04"."""
        return f"{self.os} {self.label or self.version}"


@dataclass(frozen=True)
class EditionFact:
    """A fact about an OS edition, e.g. Azure Edition only on Azure Local."""

    family: str
    edition: str
    note: str
    supported_on: tuple[str, ...] = ()


def _numbers(text: str) -> tuple[int, ...]:
    nums = [int(n) for n in text.split(".")]
    while len(nums) > 1 and nums[-1] == 0:
        nums.pop()
    return tuple(nums)


def version_matches(row: str, version: str) -> bool | None:
    """Tell whether an OS ``version`` falls under a table ``row``; None if undecidable.

    ``9.4`` is under ``9``; ``2012 R2`` is not under ``2012``; ``12 SP5`` is under
    ``12 SP3-SP5``; ``15 SP4`` is under ``15``; ``15`` under ``15 SP4`` is undecidable.
    """
    r, v = _VERSION.match(row.strip()), _VERSION.match(version.strip())
    if r is None or v is None:
        return row.strip().lower() == version.strip().lower()
    rb, vb = _numbers(r["base"]), _numbers(v["base"])
    if vb[: len(rb)] != rb:
        return None if rb[: len(vb)] == vb else False
    if (r["r"] or "") != (v["r"] or ""):
        return False
    if r["lo"] is None:
        return True
    if v["lo"] is None:
        return None
    return int(r["lo"]) <= int(v["lo"]) <= int(r["hi"] or r["lo"])


def _join(*notes: str | None) -> str | None:
    return "; ".join(n for n in notes if n) or None


@dataclass(frozen=True)
class Matrix:
    """One edition of the OS support table."""

    edition: str
    source: str
    rows: tuple[MatrixRow, ...] = ()
    retired: tuple[MatrixRow, ...] = ()
    os_editions: tuple[EditionFact, ...] = ()

    def edition_facts(self, os: OSInfo) -> tuple[EditionFact, ...]:
        """Return the edition-level facts for ``os`` (Azure Edition: Azure Local)."""
        return tuple(f for f in self.os_editions if f.family == os.family and f.edition == os.edition)

    def lookup(self, os: OSInfo) -> Support | None:
        """Return the table's answer for ``os``; None if its OS is unknown or undecided.

        Each reading of ``os`` (see ``readings``) has an answer. When they differ:
        - every reading is fine (supported): a supported answer (``arm64`` only where all agree);
        - no reading is fine: the mildest certain finding, marked ``at_best``. Limited support is
          milder than unlisted; among limited readings, the one supported longest (latest end
          date, no date = longest) is mildest, so the message never overstates;
        - some are fine and some are not: None; ``undecided`` names them (ARC002).
        """
        answers = self.readings(os)
        if not answers:
            return None
        if len(answers) == 1:
            return answers[0]
        fine = [a for a in answers if a.fine]
        if len(fine) == len(answers):
            arm64 = {a.arm64 for a in answers}
            notes = dict.fromkeys(a.note for a in answers)
            return Support(
                "supported",
                arm64.pop() if len(arm64) == 1 else None,
                None,
                None,
                " or ".join(a.row for a in answers),
                _join(*notes) if len(notes) == 1 else None,
            )
        if fine:
            return None
        return dataclasses.replace(min(answers, key=lambda a: a._mildness), at_best=True)

    def undecided(self, os: OSInfo) -> tuple[Support, ...]:
        """Return the readings of ``os`` when some are fine and some are findings; else ()."""
        answers = self.readings(os)
        return answers if len({a.fine for a in answers}) == 2 else ()

    def readings(self, os: OSInfo) -> tuple[Support, ...]:
        """Return the table's answer for every version ``os`` may be; () if its OS is unknown.

        The versions are the catalog's ``readings`` of an ambiguous signal, else ``os.version``.
        A version less precise than the table (``2008 R2`` against the row ``2008 R2 SP1``,
        ``15`` against ``15 SP3``) may be any row it could fall under, or a version the table
        does not list; a version that falls under a row is that row (rows before ``retired``).
        """
        if os.family in (None, "other-linux") or not os.version:
            return ()
        answers: list[Support] = []
        for version in os.readings or (os.version,):
            for answer in self._answers(os, version):
                if answer not in answers:
                    answers.append(answer)
        return tuple(answers)

    def _answers(self, os: OSInfo, version: str) -> list[Support]:
        candidates: list[MatrixRow] = []
        for row in (*self.rows, *self.retired):
            if row.family != os.family or (row.edition and os.edition and row.edition != os.edition):
                continue
            hit = version_matches(row.version, version)
            if hit:
                return [self._support(row, os)]
            if hit is None:
                candidates.append(row)
        shown = dataclasses.replace(os, version=version, readings=()).display()
        unlisted = Support("unlisted", None, None, None, shown, None)
        return [self._support(row, os) for row in candidates] + [unlisted]

    def _support(self, row: MatrixRow, os: OSInfo) -> Support:
        restrictions = [f.note for f in self.edition_facts(os) if f.supported_on]
        return Support(
            status=row.status,
            arm64=row.arm64,
            last_agent=row.last_agent,
            end_date=row.end_date,
            row=row.shown,
            note=_join(row.note, *restrictions),
            download=row.download,
        )


def _row(raw: Mapping[str, Any], status: str | None = None) -> MatrixRow:
    end = raw.get("end_date")
    return MatrixRow(
        os=raw["os"],
        family=raw["family"],
        version=raw["version"],
        status=status or raw["x86_64"],
        arm64=None if status else raw.get("arm64"),
        label=raw.get("label"),
        edition=raw.get("edition"),
        last_agent=raw.get("last_agent"),
        end_date=datetime.date.fromisoformat(end) if end else None,
        download=raw.get("download"),
        note=raw.get("note"),
    )


def _build_matrix(raw: Mapping[str, Any]) -> Matrix:
    facts = tuple(
        EditionFact(f["family"], f["edition"], f["note"], tuple(f.get("supported_on", ())))
        for f in raw.get("os_editions", ())
    )
    return Matrix(
        edition=raw["edition"],
        source=raw["source"],
        rows=tuple(_row(r) for r in raw["rows"]),
        retired=tuple(_row(r, "retired") for r in raw["retired"]),
        os_editions=facts,
    )


def _dates_to_text(value: Any) -> Any:
    """Turn YAML dates (unquoted 2025-07-15) back into ISO strings before validation."""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _dates_to_text(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_dates_to_text(v) for v in value]
    return value


def _json_path(path: Sequence[str | int]) -> str:
    text = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path)
    return text.lstrip(".") or "(top level)"


@functools.lru_cache(maxsize=1)
def _matrix_schema() -> dict[str, Any]:
    with (policy_root() / MATRIX_SCHEMA).open(encoding="utf-8") as fh:
        schema: dict[str, Any] = json.load(fh)
    return schema


def _validate(data: Any, path: Path) -> None:
    """Raise MatrixError listing every violation as ``file: path.inside: problem``."""
    import jsonschema  # noqa: PLC0415  (lazy: start-up time)

    validator = jsonschema.Draft202012Validator(_matrix_schema())
    errors = list(validator.iter_errors(data))
    if not errors:
        return
    errors.sort(key=lambda e: [(isinstance(p, str), p) for p in e.absolute_path])
    raise MatrixError("\n".join(f"{path}: {_json_path(list(e.absolute_path))}: {e.message}" for e in errors))


def _read_yaml(path: Path) -> Any:
    try:
        with path.open(encoding="utf-8") as fh:
            return load_yaml(fh)
    except OSError as exc:
        raise MatrixError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    except yaml.YAMLError as exc:
        raise MatrixError(f"{path}: invalid YAML: {exc}") from exc


@functools.lru_cache(maxsize=16)
def load_matrix_file(path: Path) -> Matrix:
    """Load and validate one matrix edition file."""
    data = _dates_to_text(_read_yaml(Path(path)))
    _validate(data, Path(path))
    return _build_matrix(data)


def available_editions() -> list[str]:
    """Return the shipped matrix editions (file names without .yaml), oldest first."""
    folder = policy_root() / MATRIX_DIR
    return sorted(p.stem for p in folder.glob("*.yaml")) if folder.is_dir() else []


def load_matrix(edition: str | None = None, path: Path | None = None) -> Matrix:
    """Load an edition (None = newest) or, with ``path``, a file; raise MatrixError."""
    if path is not None:
        return load_matrix_file(Path(path))
    editions = available_editions()
    if edition is None and editions:
        edition = editions[-1]
    if edition not in editions:
        listed = ", ".join(editions) or "none"
        raise MatrixError(f"unknown OS support matrix edition {edition!r}; available: {listed}")
    file = policy_root() / MATRIX_DIR / f"{edition}.yaml"
    matrix = load_matrix_file(file)
    if matrix.edition != edition:
        raise MatrixError(f"{file}: edition: {matrix.edition!r} does not match the file name")
    return matrix
