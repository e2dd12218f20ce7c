"""Make sure the ``hcl2`` package arclint imports is python-hcl2 8.x, not a namesake.

checkov depends on ``bc-python-hcl2``, which installs a package also named ``hcl2`` with a different
API; installed into one environment, whichever came last wins.
"""

from __future__ import annotations

REQUIRED_MAJOR = 8


class HclUnavailable(Exception):
    """The hcl2 package found is not the python-hcl2 arclint needs."""


def _advice(found: str) -> str:
    return (
        f"arclint needs python-hcl2 {REQUIRED_MAJOR}.x, but the 'hcl2' package it found is {found}. "
        "checkov's bc-python-hcl2 installs a package of the same name, and one environment can hold only one. "
        "Install arclint in its own environment: `pipx install arclint`, or run it as a pre-commit hook "
        "(pre-commit gives every hook its own virtualenv)."
    )


def check_hcl2() -> None:
    """Raise ``HclUnavailable`` with advice when ``hcl2`` is missing or is not python-hcl2 8.x."""
    import importlib.metadata
    import os

    try:
        import hcl2
    except ImportError:
        raise HclUnavailable(_advice("missing")) from None
    where = os.path.realpath(getattr(hcl2, "__file__", "") or "?")
    try:
        dist = importlib.metadata.distribution("python-hcl2")
        ours = os.path.realpath(str(dist.locate_file("hcl2/__init__.py")))
        version = dist.version
    except importlib.metadata.PackageNotFoundError:
        ours, version = "", "not installed"
    if where != ours or not version.startswith(f"{REQUIRED_MAJOR}.") or not _has_tree_api():
        raise HclUnavailable(_advice(f"{where} (python-hcl2 {version})"))


def _has_tree_api() -> bool:
    try:
        from hcl2.api import parses_to_tree  # noqa: F401  (present in the python-hcl2 arclint needs)

        # arclint.load.hcl builds on these; hcl2.parser re-exports PostLexer without declaring it (python-hcl2 8.x)
        from hcl2.parser import PARSER_FILE, PostLexer, parser  # type: ignore[attr-defined]  # noqa: F401
    except ImportError:
        return False
    return True
