"""Read files that configurations reference (``file()``, ``templatefile()``, provisioner scripts).

Only files under the scan root are read; each is read once. Anything else becomes an
``Unknown`` that says why.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from arclint.core.files import NotReadable, decode, read_bytes, relative_path, show_path
from arclint.core.limits import MAX_FILE_BYTES
from arclint.core.values import Traced, Unknown
from arclint.evaluate.session import Session

if TYPE_CHECKING:
    from arclint.evaluate.worktree import WorkTree


def path_value(which: str, folder: Path) -> str | Unknown:
    """``path.module`` / ``path.root`` are the configuration's folder; ``path.cwd`` is not known."""
    if which == "cwd":
        return Unknown(["path.cwd is the folder terraform or packer runs in, which arclint does not assume"])
    return str(folder)


class Reader:
    """Reads referenced files inside ``root``, caching results; names them relative to ``base`` (where arclint runs)."""

    def __init__(self, root: Path, base: Path) -> None:
        self.root = root.resolve()
        self.base = base
        self.session = Session()  # the scan's evaluation state, shared by every evaluator (arclint.evaluate.session)
        self._cache: dict[Path, Traced | Unknown] = {}
        self._generated: dict[Path, Callable[[], object]] = {}
        self._tree: WorkTree | None = None
        self._tree_looked_for = False

    def work_tree(self) -> WorkTree | None:
        """The git work tree around the scan root whose remote is on GitHub, if any (looked for once)."""
        if not self._tree_looked_for:
            from arclint.evaluate import worktree

            self._tree, self._tree_looked_for = worktree.find(self.root), True
        return self._tree

    def show(self, path: Path) -> str:
        """How messages name ``path``: relative to where arclint runs when under it."""
        return show_path(path, self.base)

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
                self._cache[real] = self._read(real, relative_path(real, self.base))
            return self._cache[real], f"{candidate} in this git work tree: the checked-out version, not fetched"
        shown = url.split("?", 1)[0]
        return Unknown(
            [f"{shown} is a file of this repository, but {ref_path} is not in the work tree {self.show(root)}"]
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
            return Unknown([f"file {name!r} is outside the scan root {self.show(self.root)}; not read"])
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
        result = self._read(path, self.show(path))
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
