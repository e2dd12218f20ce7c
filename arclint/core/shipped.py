"""The data shipped with arclint (policies, matrices, catalogs, schemas): where it lives and how it is read."""

from __future__ import annotations

from pathlib import Path
from typing import Any, TextIO


def policy_root() -> Path:
    """Return the folder holding the built-in policies, matrices, catalogs and schemas."""
    here = Path(__file__).resolve().parent.parent  # the arclint package
    installed = here / "policies"
    return installed if installed.is_dir() else here.parent / "policies"


def load_yaml(stream: str | TextIO) -> Any:
    """Parse YAML safely: plain data only, no Python objects."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(stream, Loader=loader)  # noqa: S506 - a safe loader
