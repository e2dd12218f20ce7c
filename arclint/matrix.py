"""The OS support matrix: one YAML file per edition of Microsoft's prerequisites page
(``policies/matrix/<date>.yaml``), validated against its schema, and the lookup of an OS in it."""

from __future__ import annotations

import dataclasses
import datetime
import functools
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from arclint.core.shipped import key_path, load_yaml, policy_root
from arclint.model.osimage import VERSION, OSInfo, version_numbers

MATRIX_DIR = Path("matrix")
MATRIX_SCHEMA = Path("schema", "matrix.schema.json")


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


def version_matches(row: str, version: str) -> bool | None:
    """Tell whether an OS ``version`` falls under a table ``row``; None if undecidable.

    ``9.4`` is under ``9``; ``2012 R2`` is not under ``2012``; ``12 SP5`` is under
    ``12 SP3-SP5``; ``15 SP4`` is under ``15``; ``15`` under ``15 SP4`` is undecidable.
    """
    r, v = VERSION.match(row.strip()), VERSION.match(version.strip())
    if r is None or v is None:
        return row.strip().lower() == version.strip().lower()
    rb, vb = version_numbers(r["base"]), version_numbers(v["base"])
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
    raise MatrixError("\n".join(f"{path}: {key_path(list(e.absolute_path))}: {e.message}" for e in errors))


def _read_yaml(path: Path) -> Any:
    try:
        with path.open(encoding="utf-8") as fh:
            return load_yaml(fh)
    except OSError as exc:
        raise MatrixError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    except yaml.YAMLError as exc:
        raise MatrixError(f"{path}: invalid YAML: {exc}") from exc


@functools.lru_cache(maxsize=16)
def load_matrix_file(path: Path, *, validate: bool = True) -> Matrix:
    """Load and validate one matrix edition file; ``validate=False`` for a shipped edition (the test suite
    validates those: a scan does not pay for the schema and jsonschema's import each run)."""
    data = _dates_to_text(_read_yaml(Path(path)))
    if validate:
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
    matrix = load_matrix_file(file, validate=False)
    if matrix.edition != edition:
        raise MatrixError(f"{file}: edition: {matrix.edition!r} does not match the file name")
    return matrix
