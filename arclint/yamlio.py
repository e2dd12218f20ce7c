"""Safe YAML loading, with libyaml's C loader when PyYAML has it (several times faster)."""

from __future__ import annotations

from typing import Any, TextIO


def load_yaml(stream: str | TextIO) -> Any:
    """Parse YAML safely: plain data only, no Python objects."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(stream, Loader=loader)  # noqa: S506 - a safe loader
