"""Walk the given paths and classify the files arclint reads."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from arclint.core.files import show_path

SKIP_DIRS = frozenset({".git", ".terraform", "node_modules", ".arclint_cache", "__pycache__", ".venv"})

# kind of file by name; ``.json`` files are classified by content when loaded
_SUFFIXES = (
    (".tfvars.json", "tfvars-json"),
    (".tf.json", "terraform-json"),
    (".pkr.json", "packer-json"),
    (".pkrvars.hcl", "pkrvars"),
    (".pkr.hcl", "packer"),
    (".tfvars", "tfvars"),
    (".tf", "terraform"),
    (".json", "json"),
)


TERRAFORM_KINDS = ("terraform", "terraform-json")

# Scripts and templates onboarding comes from (read through ``file()``, ``templatefile()``, provisioners,
# cloud-init): given as files (what pre-commit passes), they select the findings whose evidence they hold.
SOURCE_SUFFIXES = (".sh", ".bash", ".ps1", ".psm1", ".cmd", ".bat", ".tftpl", ".tpl", ".tmpl", ".yaml", ".yml")
_TEMPLATE_INFIX = ".tpl."  # cloud-init.tpl.yaml, onboard.tpl.ps1


class PathError(Exception):
    """A path given on the command line does not exist or cannot be read (exit code 2)."""


@dataclass(frozen=True)
class Input:
    """A file to load: absolute path, the path shown to users, and its kind."""

    path: Path
    display: str
    kind: str
    explicit: bool = False
    source: bool = False  # a given script or template: never loaded here, it selects findings (``is_source``)


def classify(name: str) -> str | None:
    """Return the kind of a file from its name, or None when arclint does not read it."""
    lower = name.lower()
    for suffix, kind in _SUFFIXES:
        if lower.endswith(suffix):
            return kind
    return None


def is_source(name: str) -> bool:
    """Whether a file name is a script or template onboarding may come from (``SOURCE_SUFFIXES``)."""
    lower = name.lower()
    return lower.endswith(SOURCE_SUFFIXES) or _TEMPLATE_INFIX in lower


def scan_root(paths: list[Path], base: Path) -> Path:
    """The folder nothing outside of which is read: ``base`` (where arclint runs), or the scanned paths' common
    folder when they are not all under it. ``paths`` are absolute."""
    base = base.resolve()
    resolved = [p.resolve() for p in paths]
    if all(p == base or base in p.parents for p in resolved):
        return base
    folders = [p if p.is_dir() else p.parent for p in resolved]
    return Path(os.path.commonpath([str(f) for f in folders]))


def given_path_problems(paths: list[Path], base: Path) -> list[str]:
    """Why given paths cannot be scanned at all: missing, unreadable, or neither a file nor a folder.

    These end the run (exit 2: a typo in CI must not pass). A given file arclint does not read (not
    Terraform or Packer) is only skipped by ``discover``; problems inside a given folder (an unreadable
    subfolder, a symlink out of the root) are report errors.
    """
    problems: list[str] = []
    for given in paths:
        shown = show_path(given, base)
        try:
            if given.is_dir():
                with os.scandir(given):
                    pass
            elif given.is_file():
                os.close(os.open(given, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)))
            elif given.exists():
                problems.append(f"{shown}: not a regular file or folder (a pipe, device or socket)")
            else:
                problems.append(f"{shown}: no such file or folder")
        except OSError as exc:
            problems.append(f"{shown}: cannot be read ({exc.strerror or exc})")
    return problems


def discover(paths: list[Path], base: Path, excludes: tuple[str, ...] = ()) -> tuple[list[Input], list[str]]:
    """Return the inputs under ``paths`` (absolute; files given explicitly are marked) and problems met; files are
    shown relative to ``base``."""
    found: dict[Path, Input] = {}
    problems: list[str] = []

    def display(path: Path) -> str:
        return show_path(path, base)

    try:
        root: Path | None = scan_root(paths, base)
    except (OSError, RuntimeError, ValueError):
        root = None
    uses: _Uses | None = None  # which folders use which, built when a file is given
    for given in paths:
        try:
            is_file, is_dir, exists = given.is_file(), given.is_dir(), given.exists()
        except OSError as exc:
            problems.append(f"{display(given)}: cannot be read ({exc.strerror or exc})")
            continue
        if is_file:
            kind = classify(given.name)
            if kind is None and not is_source(given.name):
                problems.append(f"{display(given)}: not a Terraform or Packer file; skipped")
                continue
            if uses is None:
                uses = _Uses.of(root, excludes) if root is not None else _Uses({}, [])
            folders: list[Path] = [given.parent]
            if kind in (
                None,
                "json",
            ):  # a script, template or JSON file: evaluated with the configurations that read it
                near = _user_folder(given.parent, root, excludes)
                folders = sorted({*([near] if near else []), *uses.mentioning(given.name)})
            source = kind is None or bool(folders)
            if kind == "json" and not folders:  # no configuration reads it: a legacy Packer template, or skipped
                folders = [given.parent]
            found[given] = Input(given, display(given), kind or "source", explicit=True, source=source)
            for folder in folders:
                for used in uses.using(folder, base):  # its folder, and the folders that call it as a module
                    for item in _walk(used, base, recursive=False, problems=problems, excludes=excludes, root=root):
                        found.setdefault(item.path, item)
        elif is_dir:
            for item in _walk(given, base, recursive=True, problems=problems, excludes=excludes, root=root):
                found.setdefault(item.path, item)
        elif exists:
            problems.append(f"{display(given)}: not a regular file or folder (a pipe, device or socket); skipped")
        else:
            problems.append(f"{display(given)}: no such file or folder")
    return sorted(found.values(), key=lambda i: i.display), problems


def folder_inputs(folder: Path, base: Path) -> list[Input]:
    """The files arclint reads directly in ``folder`` (not in its subfolders); unreadable ones and symlinks out of
    the scan root are left out."""
    return _walk(folder, base, recursive=False, problems=[], excludes=(), root=scan_root([folder], base))


def _walk(
    top: Path, base: Path, *, recursive: bool, problems: list[str], excludes: tuple[str, ...], root: Path | None = None
) -> list[Input]:
    out: list[Input] = []

    def display(path: Path) -> str:
        return show_path(path, base)

    def onerror(err: OSError) -> None:
        where = display(Path(err.filename)) if err.filename else display(top)
        problems.append(f"{where}: cannot be read ({err.strerror or err})")

    for folder, dirs, files in os.walk(top, onerror=onerror):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not _excluded(d, excludes))
        for name in sorted(files):
            kind = classify(name)
            if kind is None or _excluded(name, excludes):
                continue
            path = Path(folder) / name
            if root is not None and _links_outside(path, root):
                problems.append(f"{display(path)}: a symlink to outside the scan root {display(root)}; not read")
                continue
            out.append(Input(path, display(path), kind))
        if not recursive:
            break
    return out


def _user_folder(folder: Path, root: Path | None, excludes: tuple[str, ...]) -> Path | None:
    """The nearest folder from ``folder`` up to the scan root that holds Terraform or Packer files: the
    configuration that reads a script or template there (``None`` when there is none)."""
    for candidate in (folder, *folder.parents):
        if root is not None and candidate != root and root not in candidate.parents:
            return None
        try:
            names = sorted(e.name for e in os.scandir(candidate) if e.is_file())
        except OSError:
            return None
        if any(classify(n) not in (None, "json") and not _excluded(n, excludes) for n in names):
            return candidate
        if root is None or candidate == root:
            return None
    return None


_CONFIGURATION_KINDS = ("terraform", "packer", "packer-json", "terraform-json")
_MODULE_SOURCE = re.compile(r'^\s*source\s*=\s*"(\.\.?/[^"]*)"', re.MULTILINE)


@dataclass(frozen=True)
class _Uses:
    """Which configurations under the scan root use which folders and files, found by a text search of their
    Terraform and Packer files (no parsing): local module calls (``source = "./..."`` or ``"../..."``) and
    the names of the files they mention."""

    callers: dict[Path, set[Path]]  # module folder -> folders calling it (resolved paths)
    texts: list[tuple[Path, str]]  # (folder, text) of each Terraform or Packer file

    @classmethod
    def of(cls, root: Path, excludes: tuple[str, ...]) -> _Uses:
        from arclint.core.files import decode, read_bytes
        from arclint.core.limits import MAX_HCL_BYTES

        callers: dict[Path, set[Path]] = {}
        texts: list[tuple[Path, str]] = []
        for folder, dirs, files in os.walk(root):
            dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not _excluded(d, excludes))
            here = Path(folder).resolve()
            for name in sorted(files):
                if classify(name) not in _CONFIGURATION_KINDS or _excluded(name, excludes):
                    continue
                try:
                    text = decode(read_bytes(Path(folder) / name, MAX_HCL_BYTES))
                except OSError:
                    continue  # reported when the folder is scanned, if it is
                texts.append((here, text))
                for source in _MODULE_SOURCE.findall(text):
                    callers.setdefault((here / source).resolve(), set()).add(here)
        return cls(callers, texts)

    def mentioning(self, name: str) -> list[Path]:
        """The folders whose configuration files mention a file of this name (a script, a template)."""
        return sorted({folder for folder, text in self.texts if name in text})

    def using(self, folder: Path, base: Path) -> list[Path]:
        """``folder`` and every folder that calls it as a module, directly or through other modules (those under
        ``base`` as paths from it)."""
        real_base = base.resolve()
        seen = [folder.resolve()]
        for current in seen:  # grows while it is walked; each folder once, so a cycle of calls ends
            seen.extend(c for c in sorted(self.callers.get(current, ())) if c not in seen)
        return [base / f.relative_to(real_base) if f.is_relative_to(real_base) else f for f in seen]


def _links_outside(path: Path, root: Path) -> bool:
    """Whether ``path`` is a symlink whose target lies outside ``root`` (a loop is left to the reader)."""
    if not path.is_symlink():
        return False
    try:
        real = path.resolve()
    except (OSError, RuntimeError):
        return False
    return real != root and root not in real.parents


def _excluded(name: str, excludes: tuple[str, ...]) -> bool:
    from fnmatch import fnmatch

    return any(fnmatch(name, pattern) for pattern in excludes)
