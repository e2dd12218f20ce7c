"""File access and path display: the only way arclint reads a file, and the only way it names one.

Paths are shown relative to a ``base`` folder (where the user runs arclint) when under it; nothing here
reads the current directory.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from pathlib import Path


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


def is_dir(path: Path) -> bool:
    """``path.is_dir()`` that answers False instead of raising (a folder on the way that may not be searched)."""
    try:
        return path.is_dir()
    except OSError:
        return False


def is_file(path: Path) -> bool:
    """``path.is_file()`` that answers False instead of raising (a folder on the way that may not be searched)."""
    try:
        return path.is_file()
    except OSError:
        return False


def show_path(path: Path, base: Path) -> str:
    """``path`` as users see it: relative to ``base`` when under it, else absolute; POSIX style, printable."""
    try:
        return printable_path(path.relative_to(base).as_posix())
    except ValueError:
        return printable_path(path.as_posix())


def relative_path(path: Path, base: Path) -> str:
    """``path`` relative to ``base``, with ``..`` when it lies beside it (a file of the git work tree)."""
    try:
        return printable_path(Path(os.path.relpath(path, base)).as_posix())
    except ValueError:
        return show_path(path, base)
