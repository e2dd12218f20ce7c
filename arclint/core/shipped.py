"""The data shipped with arclint (policies, matrices, catalogs, schemas): where it lives and how it is read."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO


def policy_root() -> Path:
    """Return the folder holding the built-in policies, matrices, catalogs and schemas."""
    here = Path(__file__).resolve().parent.parent  # the arclint package
    installed = here / "policies"
    return installed if installed.is_dir() else here.parent / "policies"


def load_yaml(stream: str | TextIO) -> Any:
    """Parse YAML safely: plain data only, no Python objects.

    Raises ``yaml.YAMLError`` for anything that is not valid YAML data, including a value the safe loader
    cannot build (``2026-13-01`` looks like a date but is none: PyYAML raises ``ValueError`` for it).
    """
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        return yaml.load(stream, Loader=loader)  # noqa: S506 - a safe loader
    except ValueError as exc:
        raise yaml.constructor.ConstructorError(None, None, f"{exc} (a date-like value that is no date?)") from None


def key_path(path: Sequence[object]) -> str:
    """Where in a data file a problem is, as users write it: ``when.all[0].fact`` for
    ``["when", "all", 0, "fact"]``, ``(top level)`` for ``[]``."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else f".{part}" if out else str(part)
    return out or "(top level)"
