"""Read files that configurations reference (``file()``, ``templatefile()``, provisioner scripts).

Only files under the scan root are read; each is read once. Anything else becomes an
``Unknown`` that says why.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from arclint.evaluate.values import Traced, Unknown

if TYPE_CHECKING:
    from arclint.evaluate.worktree import WorkTree

MAX_FILE_BYTES = 10 * 1024 * 1024


class NotReadable(OSError):
    """A path that is not a regular file (FIFO, device, socket) or is over the size limit: never read."""


def read_bytes(path: Path, limit: int) -> bytes:
    """Read a regular file of at most ``limit`` bytes.

    Raises ``OSError`` (``NotReadable`` for a FIFO, device or socket and for a file over ``limit``):
    the path is checked before it is opened (without blocking) and again once open, so a named pipe
    or ``/dev/zero`` behind a ``.tf`` name is never read and never hangs the scan, and a file that
    grows while it is read is cut at the limit.
    """
    _check_regular(os.stat(path), path, limit)  # a device is never opened: opening one can act (a watchdog)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags)
    with os.fdopen(fd, "rb") as fh:
        _check_regular(os.fstat(fh.fileno()), path, limit)  # the same file, if it was swapped in between
        data = fh.read(limit + 1)
    if len(data) > limit:
        raise NotReadable(errno.EFBIG, f"larger than arclint's limit of {limit // 1048576} MB", str(path))
    return data


def _check_regular(info: os.stat_result, path: Path, limit: int) -> None:
    if stat.S_ISDIR(info.st_mode):
        raise IsADirectoryError(errno.EISDIR, "is a folder", str(path))
    if not stat.S_ISREG(info.st_mode):
        raise NotReadable(errno.EINVAL, "not a regular file (a pipe, device or socket)", str(path))
    if info.st_size > limit:
        raise NotReadable(errno.EFBIG, f"larger than arclint's limit of {limit // 1048576} MB", str(path))


def decode(data: bytes) -> str:
    """Decode file bytes: UTF-8 (with or without BOM) or UTF-16 with BOM; else Latin-1.

    Never fails: broken UTF-16 (odd length, lone surrogates) decodes with U+FFFD in place of the bad units.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("latin-1")


_UNPRINTABLE = re.compile("[\x00-\x1f\x7f\ud800-\udfff]")


def printable_path(text: str) -> str:
    """A path as text that any output can carry on one line: undecodable name bytes and control
    characters shown as ``\\xNN`` (a newline in a file name cannot forge a report line)."""
    if not _UNPRINTABLE.search(text):
        return text
    return _UNPRINTABLE.sub(_escape_char, text)


def _escape_char(m: re.Match[str]) -> str:
    code = ord(m.group(0))
    if 0xDC80 <= code <= 0xDCFF:  # an undecodable byte of a file name (surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    if code >= 0xD800:
        return f"\\u{code:04x}"
    return f"\\x{code:02x}"


def display_path(path: Path) -> str:
    """Return ``path`` relative to the current directory when under it, in POSIX form."""
    try:
        return printable_path(path.relative_to(Path.cwd()).as_posix())
    except ValueError:
        return printable_path(path.as_posix())


def path_value(which: str, folder: Path) -> str | Unknown:
    """``path.module`` / ``path.root`` are the configuration's folder; ``path.cwd`` is not known."""
    if which == "cwd":
        return Unknown(["path.cwd is the folder terraform or packer runs in, which arclint does not assume"])
    return str(folder)


def _relative(path: Path) -> str:
    """A path relative to the current directory, with ``..`` when it lies beside it (a work-tree file)."""
    try:
        return printable_path(Path(os.path.relpath(path, Path.cwd())).as_posix())
    except ValueError:
        return display_path(path)


class Reader:
    """Reads referenced files inside ``root``, caching results."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self._cache: dict[Path, Traced | Unknown] = {}
        self._generated: dict[Path, Callable[[], object]] = {}
        self._tree: WorkTree | None | bool = False  # False: not looked for yet

    def work_tree(self) -> WorkTree | None:
        """The git work tree around the scan root whose remote is on GitHub, if any (looked for once)."""
        if self._tree is False:
            from arclint.evaluate import worktree

            self._tree = worktree.find(self.root)
        return self._tree  # type: ignore[return-value]

    def fetch_url(self, url: str) -> tuple[Traced | Unknown, str] | None:
        """A URL of this work tree's own repository as the checked-out file (with a note saying so), else None.

        The file may lie outside the scan root but never outside the work tree.
        """
        tree = self.work_tree()
        found = tree.path_of(url) if tree is not None else None
        if tree is None or found is None:
            return None
        ref_path, candidates = found
        root = tree.root.resolve()
        for candidate in candidates:
            path = Path(os.path.normpath(root / candidate))
            try:
                real = path.resolve()
            except (OSError, RuntimeError, ValueError):
                continue
            if root not in real.parents or not real.is_file():
                continue
            if real not in self._cache:
                self._cache[real] = self._read(real, _relative(real))
            return self._cache[real], f"{candidate} in this git work tree: the checked-out version, not fetched"
        shown = url.split("?", 1)[0]
        return Unknown(
            [f"{shown} is a file of this repository, but {ref_path} is not in the work tree {display_path(root)}"]
        ), "not in the work tree"

    def generate(self, path: Path, content: Callable[[], object]) -> None:
        """Register a file the configuration writes itself (``local_file``): reads get its content.

        The latest registration wins: an evaluation with other input values registers its own content.
        """
        self._generated[Path(os.path.normpath(path))] = content

    def resolve(self, name: str, base: Path) -> Path | Unknown:
        """Return the absolute path of ``name`` (relative to ``base``) if it lies inside the root."""
        partly_unknown = getattr(name, "unknown", ())
        if partly_unknown:
            return Unknown(partly_unknown)
        if name.startswith("~"):
            return Unknown([f"file {name!r} is in a home folder, outside the scan root; not read"])
        if "\x00" in name:
            return Unknown([f"file name {name[:80]!r} contains a NUL character; not read"])
        path = Path(os.path.normpath(base / name))
        try:
            real = path.resolve()
        except (OSError, RuntimeError, ValueError):
            return Unknown([f"file {name!r} cannot be resolved (symlink loop?); not read"])
        if real != self.root and self.root not in real.parents:
            return Unknown([f"file {name!r} is outside the scan root {display_path(self.root)}; not read"])
        return real

    def read(self, name: str, base: Path) -> Traced | Unknown:
        """Read ``name`` (relative to ``base``) as traced text, or say why it cannot be read."""
        generated = self._generated.get(Path(os.path.normpath(base / name)))
        if generated is not None:
            value = generated()
            return (
                value
                if isinstance(value, (Traced, Unknown))
                else Traced(str(value))
                if isinstance(value, str)
                else Unknown([f"file {name!r} is written with a non-text content"])
            )
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
            data = read_bytes(path, MAX_FILE_BYTES)
        except FileNotFoundError:
            return Unknown([f"file {name!r} does not exist under the scan root"])
        except IsADirectoryError:
            return Unknown([f"{name!r} is a folder, not a file"])
        except NotReadable as exc:
            return Unknown([f"file {name!r} is {exc.strerror}; not read"])
        except OSError as exc:
            return Unknown([f"file {name!r} cannot be read ({exc.strerror or exc})"])
        text = decode(data).replace("\r\n", "\n")
        return Traced.from_file(text, name)
