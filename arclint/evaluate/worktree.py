"""The git work tree around the scan root, and URLs of its own files on GitHub.

Configurations often hand a script a ``raw.githubusercontent.com/OWNER/REPO/REF/PATH`` (or
``github.com/OWNER/REPO/raw/REF/PATH``) URL of their own repository. When the scanned files lie in a git
work tree whose remote is that OWNER/REPO, such a URL means the file at PATH in the work tree: the
checked-out version, which may differ from REF. Only ``.git/config`` is read (bounded); git never runs
and nothing is fetched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from arclint.core.files import decode, read_bytes
from arclint.core.limits import MAX_GIT_CONFIG_BYTES, MAX_GIT_LEVELS

_REMOTE_URL = re.compile(r"^\s*url\s*=\s*(?P<url>\S+)\s*$", re.IGNORECASE | re.MULTILINE)
_GITHUB_REMOTE = re.compile(r"github\.com[:/]+(?P<owner>[\w.-]+)/(?P<repo>[\w.-]+?)(?:\.git)?/*$", re.IGNORECASE)
_RAW = re.compile(
    r"^https?://raw\.githubusercontent\.com/(?P<owner>[\w.-]+)/(?P<repo>[\w.-]+)/(?P<rest>[^?#]+)", re.IGNORECASE
)
_BLOB = re.compile(
    r"^https?://github\.com/(?P<owner>[\w.-]+)/(?P<repo>[\w.-]+)/(?:raw|blob)/(?P<rest>[^?#]+)", re.IGNORECASE
)


@dataclass(frozen=True)
class WorkTree:
    """A git work tree: its folder and the GitHub repositories (owner/repo, lower-cased) its remotes name."""

    root: Path
    repos: frozenset[str]

    def path_of(self, url: str) -> tuple[str, list[str]] | None:
        """For a URL of one of this tree's repositories: (ref and path as written, candidate relative paths)."""
        m = _RAW.match(url) or _BLOB.match(url)
        if m is None or f"{m.group('owner')}/{m.group('repo')}".lower() not in self.repos:
            return None
        parts = [p for p in m.group("rest").split("/") if p]
        if parts[:2] == ["refs", "heads"]:
            parts = parts[2:]
        # the ref may hold slashes (feature/x): try the shortest ref first
        candidates = ["/".join(parts[k:]) for k in range(1, min(len(parts), 4))]
        return m.group("rest"), [c for c in candidates if c]


def find(start: Path) -> WorkTree | None:
    """The work tree holding ``start`` (a folder), from the first ``.git`` found walking up, if any remote is on
    GitHub."""
    folder = start
    for _ in range(MAX_GIT_LEVELS):
        dot_git = folder / ".git"
        try:
            present = dot_git.exists()
        except OSError:
            present = False
        if present:
            config = _config_text(dot_git)
            repos = frozenset(
                f"{m.group('owner')}/{m.group('repo')}".lower()
                for url in _REMOTE_URL.finditer(config or "")
                if (m := _GITHUB_REMOTE.search(url.group("url")))
            )
            return WorkTree(folder, repos) if repos else None
        if folder.parent == folder:
            return None
        folder = folder.parent
    return None


def _config_text(dot_git: Path) -> str | None:
    """The text of the repository's config: ``.git/config``, or through a ``.git`` file (``gitdir:``) and
    ``commondir``."""
    try:
        git_dir = dot_git
        if dot_git.is_file():
            pointer = decode(read_bytes(dot_git, 4096)).strip()
            if not pointer.lower().startswith("gitdir:"):
                return None
            git_dir = (dot_git.parent / pointer[7:].strip()).resolve()
            common = git_dir / "commondir"
            if common.is_file():
                git_dir = (git_dir / decode(read_bytes(common, 4096)).strip()).resolve()
        return decode(read_bytes(git_dir / "config", MAX_GIT_CONFIG_BYTES))
    except (OSError, ValueError):
        return None
