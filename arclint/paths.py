"""Where the shipped policy data lives (installed wheel or a checkout)."""

from __future__ import annotations

from pathlib import Path


def policy_root() -> Path:
    """Return the folder holding the built-in policies, matrices, catalogs and schemas."""
    here = Path(__file__).resolve().parent
    installed = here / "policies"
    return installed if installed.is_dir() else here.parent / "policies"
