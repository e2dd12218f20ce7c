"""Read files that configurations reference (``file()``, ``templatefile()``, provisioner scripts).

Only files under the scan root are read; each is read once. Anything else becomes an
``Unknown`` that says why.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Callable

from arclint.evaluate.values import Traced, Unknown

MAX_FILE_BYTES = 10 * 1024 * 1024


def decode(data: bytes) -> str:
    """Decode file bytes: UTF-8 (with or without BOM) or UTF-16 with BOM; else Latin-1."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def display_path(path: Path) -> str:
    """Return ``path`` relative to the current directory when under it, in POSIX form."""
    try:
        return path.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return path.as_posix()


def path_value(which: str, folder: Path) -> str | Unknown:
    """``path.module`` / ``path.root`` are the configuration's folder; ``path.cwd`` is not known."""
    if which == "cwd":
        return Unknown(["path.cwd is the folder terraform or packer runs in, which arclint does not assume"])
    return str(folder)


class Reader:
    """Reads referenced files inside ``root``, caching results."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self._cache: dict[Path, Traced | Unknown] = {}
        self._generated: dict[Path, Callable[[], object]] = {}

    def generate(self, path: Path, content: Callable[[], object]) -> None:
        """Register a file the configuration writes itself (``local_file``): reads get its content."""
        self._generated.setdefault(Path(os.path.normpath(path)), content)

    def resolve(self, name: str, base: Path) -> Path | Unknown:
        """Return the absolute path of ``name`` (relative to ``base``) if it lies inside the root."""
        partly_unknown = getattr(name, "unknown", ())
        if partly_unknown:
            return Unknown(partly_unknown)
        if name.startswith("~"):
            return Unknown([f"file {name!r} is in a home folder, outside the scan root; not read"])
        path = Path(os.path.normpath(base / name))
        try:
            real = path.resolve()
        except (OSError, RuntimeError):
            return Unknown([f"file {name!r} cannot be resolved (symlink loop?); not read"])
        if real != self.root and self.root not in real.parents:
            return Unknown([f"file {name!r} is outside the scan root {display_path(self.root)}; not read"])
        return real

    def read(self, name: str, base: Path) -> Traced | Unknown:
        """Read ``name`` (relative to ``base``) as traced text, or say why it cannot be read."""
        generated = self._generated.get(Path(os.path.normpath(base / name)))
        if generated is not None:
            value = generated()
            return value if isinstance(value, (Traced, Unknown)) else Traced(str(value)) if isinstance(value, str) else Unknown([f"file {name!r} is written with a non-text content"])
        path = self.resolve(name, base)
        if isinstance(path, Unknown):
            return path
        if path in self._cache:
            return self._cache[path]
        result = self._read(path, display_path(path))
        self._cache[path] = result
        return result

    def _read(self, path: Path, name: str) -> Traced | Unknown:
        try:
            if path.stat().st_size > MAX_FILE_BYTES:
                return Unknown([f"file {name!r} is larger than {MAX_FILE_BYTES // 1048576} MB; not read"])
            data = path.read_bytes()
        except FileNotFoundError:
            return Unknown([f"file {name!r} does not exist under the scan root"])
        except IsADirectoryError:
            return Unknown([f"{name!r} is a folder, not a file"])
        except OSError as exc:
            return Unknown([f"file {name!r} cannot be read ({exc.strerror or exc})"])
        text = decode(data).replace("\r\n", "\n")
        return Traced.from_file(text, display_path(path))
