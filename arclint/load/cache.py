"""A cache of parsed HCL files in ``.arclint_cache/`` under a scanned folder, keyed by content and version.

An entry is the ``Block`` tree ``hcl.parse_body`` makes of one file's text (or the ``LoadError`` it raised), or
the outcome of ``hcl.check_syntax`` for a file that is only checked (``{"checked": true}`` or its error), as
JSON of plain data (never pickle: the folder is as untrusted as what is scanned, and JSON can only rebuild the
document's own types).
Its name is the SHA-256 of the arclint version, the entry format, the file as shown and its text, so an
edited file, a moved file or another arclint version never meets an old entry. Writes are atomic (a
temporary file renamed into place), so concurrent runs at worst parse the same file twice; an entry that
cannot be read or rebuilt is ignored, parsed again and rewritten; the folder is trimmed to ``MAX_BYTES``,
oldest entries first. A cache folder that is a symlink or not a folder is not used.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from arclint import __version__
from arclint.core import document
from arclint.core.errors import LoadError
from arclint.core.values import Unknown

FOLDER = ".arclint_cache"
FORMAT = 2  # bump when the document types or the entries change shape
MAX_BYTES = 128 * 1048576  # the whole folder, trimmed oldest first
MAX_ENTRY_BYTES = 16 * 1048576  # an entry larger than this is not read
_SUFFIX = ".json"
_T = TypeVar("_T")

# the document types an entry may name, and nothing else
_TYPES: dict[str, type] = {
    cls.__name__: cls
    for cls in (
        document.Loc,
        document.Literal,
        document.Template,
        document.Text,
        document.TemplateIf,
        document.TemplateFor,
        document.Name,
        document.GetAttr,
        document.Index,
        document.Splat,
        document.Call,
        document.TupleExpr,
        document.ObjectExpr,
        document.Conditional,
        document.BinaryOp,
        document.UnaryOp,
        document.ForExpr,
        document.Attribute,
        document.Block,
    )
}


_ARITY = {cls: len(dataclasses.fields(cls)) for cls in _TYPES.values()}
_FILE_FIELD = {document.Loc: 0, document.Text: 2}  # where a place's file name is
_SHARED_LENGTH = 64


class Corrupt(Exception):
    """An entry that does not describe a document."""


class Cache:
    """The parsed-file cache of one folder (``folder`` is the ``.arclint_cache`` folder itself)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.usable = True
        self.written = 0

    @classmethod
    def under(cls, scanned: Path) -> Cache:
        """The cache of a scanned folder: ``scanned/.arclint_cache`` (made when the first entry is written)."""
        return cls(scanned / FOLDER)

    def body(self, text: str, path: str, parse: Callable[[str, str], document.Block]) -> document.Block:
        """The parsed body of ``text`` (the file shown as ``path``): from the cache, else ``parse``d and stored."""
        entry = self._entry("parse", path, text)
        cached = self._lookup(entry, path)
        if isinstance(cached, document.Block):
            return cached
        block = self._run(entry, path, lambda: parse(text, path))
        try:
            data = encode(block)
        except (ValueError, RecursionError):  # not expected: such a file is just not cached
            return block
        self._write(entry, data)
        return block

    def shared(self) -> None:
        """Worker processes used this cache (``arclint.load.pool``) and may have written to it: ``trim`` looks."""
        self.written = max(self.written, 1)

    def check(self, text: str, path: str, check: Callable[[str, str], None]) -> None:
        """Raise the ``LoadError`` ``check`` (a syntax check) raises for ``text``, or nothing: from the cache,
        else checked and stored."""
        entry = self._entry("check", path, text)
        if self._lookup(entry, path) is True:
            return
        self._run(entry, path, lambda: check(text, path))
        self._write(entry, {"checked": True})

    def _lookup(self, entry: Path, path: str) -> document.Block | bool | None:
        """The entry's document, True for a passed check, None when there is none; a stored error is raised."""
        cached = self._read(entry)
        if isinstance(cached, LoadError):
            raise LoadError(path, cached.line, cached.message)
        return cached

    def _run(self, entry: Path, path: str, work: Callable[[], _T]) -> _T:
        """``work()``; a ``LoadError`` it raises for this file is stored in ``entry`` before it goes on."""
        try:
            return work()
        except LoadError as exc:  # a file that does not parse is kept as its error
            if exc.path == path:
                self._write(entry, {"error": [exc.line, exc.message]})
            raise

    def _entry(self, purpose: str, path: str, text: str) -> Path:
        key = f"{__version__}\0{FORMAT}\0{purpose}\0{path}\0{text}"
        return self.folder / (hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest() + _SUFFIX)

    def _read(self, entry: Path) -> document.Block | LoadError | bool | None:
        """The entry's document, its load error, True for a passed check, None when there is none usable."""
        if not self.usable or not self._folder_ok(create=False):
            return None
        try:
            flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
            fd = os.open(entry, flags)
        except OSError:
            return None
        try:
            with os.fdopen(fd, "rb") as fh:
                data = fh.read(MAX_ENTRY_BYTES + 1)
            if len(data) > MAX_ENTRY_BYTES:
                return None
            value = decode(data)
            if value == {"checked": True}:
                return True
            if isinstance(value, dict) and value.keys() == {"error"}:
                line, message = value["error"]
                if isinstance(line, int) and isinstance(message, str):
                    return LoadError("", line, message)
                return None
            block = value
        except (OSError, ValueError, TypeError, Corrupt, RecursionError):
            return None
        return block if isinstance(block, document.Block) else None

    def _write(self, entry: Path, value: object) -> None:
        if not self.usable or not self._folder_ok(create=True):
            return
        try:
            data = json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode("utf-8", "surrogatepass")
        except (ValueError, TypeError, RecursionError):
            return
        try:
            fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=_SUFFIX, dir=self.folder)
            try:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(data)
                os.replace(tmp, entry)
            except OSError:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
                raise
        except OSError:
            self.usable = False  # a read-only checkout: scan on without the cache
            return
        self.written += len(data)

    def _folder_ok(self, create: bool) -> bool:
        """Whether the cache folder is a real folder (made with its ``.gitignore`` when ``create``)."""
        if self.folder.is_symlink():
            self.usable = False
            return False
        if self.folder.is_dir():
            return True
        if not create or self.folder.exists():
            return False
        try:
            self.folder.mkdir()
            (self.folder / ".gitignore").write_text("# made by arclint: parsed files, safe to delete\n*\n")
        except FileExistsError:
            return self.folder.is_dir() and not self.folder.is_symlink()  # another run made it
        except OSError:
            self.usable = False
            return False
        return True

    def trim(self, limit: int | None = None) -> None:
        """Delete the oldest entries until the folder holds at most ``limit`` bytes (default ``MAX_BYTES``; only
        after this run wrote)."""
        limit = MAX_BYTES if limit is None else limit
        if not self.written or not self.usable or not self._folder_ok(create=False):
            return
        entries: list[tuple[float, int, str]] = []
        total = 0
        with contextlib.suppress(OSError), os.scandir(self.folder) as it:
            for e in it:
                if e.name.endswith(_SUFFIX) and e.is_file(follow_symlinks=False):
                    st = e.stat(follow_symlinks=False)
                    entries.append((st.st_mtime, st.st_size, e.path))
                    total += st.st_size
        for _, size, name in sorted(entries):
            if total <= limit:
                break
            with contextlib.suppress(OSError):
                os.unlink(name)
            total -= size


def encode(value: Any) -> Any:
    """Plain JSON data for a document value: a node is ``{"@": type, "f": [fields]}``, a dict ``{"d": pairs}``,
    an unknown ``{"?": reasons, "r": refs}``, a tuple a list."""
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, tuple):
        return [encode(v) for v in value]
    if isinstance(value, dict):
        return {"d": [[k, encode(v)] for k, v in value.items()]}
    if isinstance(value, Unknown):  # a literal beyond arclint's limits (a 5000-digit number)
        return {"?": list(value.reasons), "r": sorted(value.refs)}
    if type(value).__name__ in _TYPES and dataclasses.is_dataclass(value):
        return {"@": type(value).__name__, "f": [encode(getattr(value, f.name)) for f in dataclasses.fields(value)]}
    raise ValueError(f"not a document value: {type(value).__name__}")


def decode(data: bytes | str) -> Any:
    """The document value ``encode`` made of the JSON ``data`` (nodes built as ``json`` reads each object, the
    fast way); ``Corrupt`` or ``ValueError`` for anything else. An ``{"error": [line, message]}`` entry is
    returned as it is, and so is ``{"checked": true}``.

    Short strings and the file names of places (``Loc.file``, ``Text.file``) are one string each, as a parse
    makes them: each JSON string is a new object, and a name repeated at every node would take more memory than
    the node."""
    return json.loads(data, object_hook=_node)


def _node(obj: dict[str, Any]) -> Any:
    if "@" in obj:
        cls = _TYPES.get(obj["@"])
        fields = obj.get("f")
        if len(obj) != 2 or cls is None or not isinstance(fields, list) or len(fields) != _ARITY[cls]:
            raise Corrupt("not a document node")
        values: list[Any] = [_tuple(v) if type(v) is list else _short(v) for v in fields]
        at = _FILE_FIELD.get(cls)
        if at is not None and type(values[at]) is str:
            values[at] = sys.intern(values[at])
        return cls(*values)
    if len(obj) == 1 and isinstance(obj.get("d"), list):
        out: dict[str, Any] = {}
        for pair in obj["d"]:
            if not (isinstance(pair, list) and len(pair) == 2 and isinstance(pair[0], str)):
                raise Corrupt("bad pair")
            out[_short(pair[0])] = pair[1]
        return out
    if obj.keys() == {"?", "r"} and _strings(obj["?"]) and _strings(obj["r"]):
        return Unknown(obj["?"], obj["r"])
    if obj.keys() == {"error"} or obj.keys() == {"checked"}:
        return obj
    raise Corrupt("not a document value")


def _tuple(items: list[Any]) -> tuple[Any, ...]:
    return tuple(_tuple(v) if type(v) is list else _short(v) for v in items)


def _short(value: Any) -> Any:
    """A short string as one shared string (names and labels repeat in every file, as a parse shares them)."""
    return sys.intern(value) if type(value) is str and len(value) <= _SHARED_LENGTH else value


def _strings(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)
