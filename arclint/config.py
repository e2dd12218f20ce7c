"""The configuration: ``.arclint.yaml`` (or ``.arclint.yml``), or ``[tool.arclint]`` in ``pyproject.toml``.

It is the file ``--config`` names, or the first found walking up from the scan root to the filesystem root
(in one folder ``.arclint.yaml`` comes before ``.arclint.yml``, which comes before ``pyproject.toml``; a
``pyproject.toml`` without ``[tool.arclint]`` is passed over). It is validated against
``policies/schema/config.schema.json``; paths in it are relative to its folder. Command-line flags replace
the file's values, key by key (a list given on the command line replaces the file's list).
"""

from __future__ import annotations

import datetime
import functools
import json
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from arclint.core.files import decode, is_file, read_bytes, show_path
from arclint.core.limits import MAX_CONFIG_BYTES
from arclint.core.shipped import key_path, policy_root

FILE_NAMES = (".arclint.yaml", ".arclint.yml", "pyproject.toml")
DEFAULT = "default"
COMMAND_LINE = "command line"

# configuration key -> the command line's parameter (``scan.Options`` field, or ``fail_on``)
FLAGS = {
    "select": "select",
    "ignore": "ignore",
    "severity": "severities",
    "fail-on": "fail_on",
    "exclude": "excludes",
    "as-of": "as_of",
    "support-matrix": "matrix",
    "policy-dirs": "policy_dirs",
    "var-files": "var_files",
    "explore": "explore",
    "cache": "cache",
}
_SUPPRESSIONS = ("suppressions.require-reason", "suppressions.allow")


class ConfigError(Exception):
    """A configuration that cannot be used: one line per problem, each naming the file and the key path."""


@dataclass(frozen=True)
class Setting:
    """A key's effective value and where it came from: ``default``, the file (as shown) or ``command line``."""

    value: Any
    source: str


@dataclass(frozen=True)
class Configuration:
    """The effective configuration: every key (``suppressions.*`` flattened) with its value and source."""

    file: str | None  # the configuration file as shown; None when there is none
    searched: str  # the folder the search started from, as shown
    settings: dict[str, Setting]

    def value(self, key: str) -> Any:
        """The effective value of ``key``."""
        return self.settings[key].value

    def options(self) -> dict[str, Any]:
        """The ``scan.Options`` fields this configuration sets (``fail-on`` is not one: see ``value``)."""
        from arclint.suppress import Governance

        allow = self.value("suppressions.allow")
        return {
            "select": tuple(self.value("select")),
            "ignore": tuple(self.value("ignore")),
            "severities": tuple(self.value("severity").items()),
            "excludes": tuple(self.value("exclude")),
            "as_of": self.value("as-of"),
            "matrix": self.value("support-matrix"),
            "policy_dirs": tuple(self.value("policy-dirs")),
            "var_files": tuple(self.value("var-files")),
            "explore": self.value("explore"),
            "cache": self.value("cache"),
            "suppressions": Governance(
                require_reason=self.value("suppressions.require-reason"),
                allow=allow if isinstance(allow, bool) else tuple(allow),
            ),
        }

    def render(self) -> str:
        """The configuration as YAML, each value followed by a comment saying where it came from."""
        if self.file is not None:
            header = f"# configuration file: {self.file}"
        else:
            header = (
                "# no configuration file (.arclint.yaml, .arclint.yml or [tool.arclint] in pyproject.toml)"
                f" in {self.searched} or above"
            )
        rows: list[tuple[str, str]] = []
        for key, setting in self.settings.items():
            parent, _, child = key.partition(".")
            if child and not rows[-1][0].startswith("  "):
                rows.append((f"{parent}:", ""))
            rows.append(((f"  {child}: " if child else f"{key}: ") + _yaml(setting.value), setting.source))
        width = max(len(text) for text, _ in rows)
        lines = [header] + [f"{text:<{width}}  # {source}" if source else text for text, source in rows]
        return "\n".join(lines) + "\n"


def find(start: Path, base: Path) -> Path | None:
    """The configuration file of a scan rooted at folder ``start``: the first found walking up from it."""
    for folder in (start, *start.parents):
        found = in_folder(folder, base)
        if found is not None:
            return found
    return None


def in_folder(folder: Path, base: Path) -> Path | None:
    """The configuration file in ``folder`` itself, if any."""
    for name in FILE_NAMES:
        candidate = folder / name
        if is_file(candidate) and (name != "pyproject.toml" or _toml(candidate, base) is not None):
            return candidate
    return None


def load(start: Path, base: Path, given: Path | None = None, flags: Mapping[str, Any] | None = None) -> Configuration:
    """The effective configuration of a scan rooted at folder ``start``, run from ``base``: the file ``given``
    (``--config``) or the one found, then ``flags`` (parameter name -> value; None or empty: not given).

    Raises ``ConfigError`` naming the file and the key path of each problem."""
    start = Path(os.path.abspath(base / start))
    path = Path(os.path.abspath(base / given)) if given is not None else find(start, base)
    settings = _defaults()
    shown = None
    if path is not None:
        shown = show_path(path, base)
        settings.update(_from_file(read(path, base), path.parent, base, shown))
    for key, name in FLAGS.items():
        value = (flags or {}).get(name)
        if value is None or value == ():
            continue
        if key == "severity":
            value = dict(value)
        elif isinstance(value, tuple):
            value = list(value)
        settings[key] = Setting(value, COMMAND_LINE)
    return Configuration(shown, show_path(start, base), settings)


def read(path: Path, base: Path) -> dict[str, Any]:
    """The validated content of configuration file ``path`` (named as shown from ``base``)."""
    shown = show_path(path, base)
    if path.suffix == ".toml":
        table = _toml(path, base)
        if table is None:
            raise ConfigError(f"{shown}: has no [tool.arclint] table")
        data: Any = table
    else:
        data = _yaml_file(path, shown)
    data = _dates_as_text(data)
    problems = _problems(data, path.parent)
    if problems:
        raise ConfigError("\n".join(f"{shown}: at {where}: {problem}" for where, problem in problems))
    result: dict[str, Any] = data
    return result


def _text(path: Path, shown: str) -> str:
    try:
        return decode(read_bytes(path, MAX_CONFIG_BYTES))
    except OSError as exc:
        raise ConfigError(f"{shown}: cannot be read ({exc.strerror or exc})") from None


def _yaml_file(path: Path, shown: str) -> Any:
    import yaml

    from arclint.core.shipped import load_yaml

    try:
        data = load_yaml(_text(path, shown))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" line {mark.line + 1}:" if mark is not None else ""
        raise ConfigError(f"{shown}:{line} not valid YAML ({getattr(exc, 'problem', None) or exc})") from None
    return {} if data is None else data


def _toml(path: Path, base: Path) -> Any:
    """The ``[tool.arclint]`` table of a TOML file, None when it has none."""
    shown = show_path(path, base)
    text = _text(path, shown)
    if "arclint" not in text:
        return None
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{shown}: not valid TOML ({exc})") from None
    tool = data.get("tool")
    return tool.get("arclint") if isinstance(tool, dict) else None


def _dates_as_text(data: Any) -> Any:
    """YAML and TOML read ``2026-08-20`` as a date; the schema wants the text."""
    if not isinstance(data, dict):
        return data
    return {k: v.isoformat() if isinstance(v, datetime.date) else v for k, v in data.items()}


@functools.cache
def _schema() -> dict[str, Any]:
    with open(policy_root() / "schema" / "config.schema.json", encoding="utf-8") as fh:
        result: dict[str, Any] = json.load(fh)
    return result


def _problems(data: Any, folder: Path) -> list[tuple[str, str]]:
    """(key path, problem) for each way ``data`` breaks the schema; then the checks a schema cannot make."""
    import jsonschema

    out: list[tuple[str, str]] = []
    for err in jsonschema.Draft202012Validator(_schema()).iter_errors(data):
        path = list(err.absolute_path)
        if err.validator == "additionalProperties" and err.schema.get("additionalProperties") is False:
            known = sorted(err.schema.get("properties", {}))
            for key in sorted(set(err.instance) - set(known), key=str):
                out.append((key_path([*path, key]), _unknown_key(str(key), known)))
        elif err.validator == "pattern":  # only rule selectors have one
            out.append((key_path(path), f"{err.instance!r} is not a rule id, id prefix or rule name"))
        else:
            out.append((key_path(path), err.message))
    if out:
        return sorted(set(out))
    if "as-of" in data:
        try:
            if len(data["as-of"]) != 10:  # Python 3.11 also reads 20261127 and 2026-W48-5
                raise ValueError(data["as-of"])
            datetime.date.fromisoformat(data["as-of"])
        except ValueError:
            out.append(("as-of", f"{data['as-of']!r} is not a date in YYYY-MM-DD form"))
    if "support-matrix" in data:
        from arclint.matrix import available_editions

        editions = available_editions()
        if data["support-matrix"] not in editions:
            out.append(("support-matrix", f"no edition {data['support-matrix']!r} (known: {', '.join(editions)})"))
    for key, check, noun in (("policy-dirs", os.path.isdir, "folder"), ("var-files", os.path.isfile, "file")):
        for i, item in enumerate(data.get(key, ())):
            if not check(folder / item):
                out.append((f"{key}[{i}]", f"no such {noun}: {item} (paths are relative to the file's folder)"))
    return out


def _unknown_key(key: str, known: list[str]) -> str:
    import difflib

    close = difflib.get_close_matches(key, known, n=1)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    return f"unknown key{hint} (known: {', '.join(known)})"


def in_ci(env: Mapping[str, str]) -> bool:
    """Whether this runs in CI (``CI`` set, as GitHub Actions, GitLab and most CI services do, or Azure Pipelines'
    ``TF_BUILD``): there the checkout is fresh, so a parse cache can only have come from the repository itself,
    which may be an untrusted pull request's."""
    return env.get("CI", "").lower() not in ("", "0", "false") or env.get("TF_BUILD", "").lower() == "true"


def _defaults() -> dict[str, Setting]:
    from arclint.matrix import available_editions

    editions = available_editions()
    values: dict[str, Any] = {
        "select": [],
        "ignore": [],
        "severity": {},
        "fail-on": "warning",
        "exclude": [],
        "as-of": datetime.datetime.now(datetime.timezone.utc).date(),
        "support-matrix": editions[-1] if editions else None,
        "policy-dirs": [],
        "var-files": [],
        "explore": True,
        "cache": not in_ci(os.environ),
        "suppressions.require-reason": False,
        "suppressions.allow": True,
    }
    return {key: Setting(value, DEFAULT) for key, value in values.items()}


def _from_file(data: dict[str, Any], folder: Path, base: Path, shown: str) -> dict[str, Setting]:
    """The settings a validated file makes, its paths relative to ``base`` when under it (else absolute)."""
    out: dict[str, Setting] = {}
    for key, value in data.items():
        if key == "suppressions":
            for sub in _SUPPRESSIONS:
                name = sub.partition(".")[2]
                if name in value:
                    out[sub] = Setting(value[name], shown)
            continue
        if key == "as-of":
            value = datetime.date.fromisoformat(value)
        elif key in ("policy-dirs", "var-files"):
            value = [_from_base(folder / item, base) for item in value]
        out[key] = Setting(value, shown)
    return out


def _from_base(path: Path, base: Path) -> Path:
    path = Path(os.path.normpath(path))
    try:
        return path.relative_to(base)
    except ValueError:
        return path


def _yaml(value: Any) -> str:
    """``value`` as one line of YAML (flow style)."""
    import yaml

    if isinstance(value, list):
        value = [v.as_posix() if isinstance(v, Path) else v for v in value]
    text: str = yaml.safe_dump(value, default_flow_style=True, width=1 << 30, allow_unicode=True, sort_keys=False)
    return text.removesuffix("\n...\n").strip()


STARTER = """\
# arclint configuration, written by `arclint init`. Every key is optional; as written, nothing changes.
# arclint finds this file from the scanned folder up; command-line flags override it (a flag's list replaces
# the list here). Paths are relative to this file's folder. `arclint config` shows the effective settings.

# Rules to run: ids (ARC101), id prefixes (ARC4) or names; empty: every rule. ARC001 stays unless ignored.
select: []
# Rules not to run, in the same forms; ignore wins over select.
ignore: []
# Severity per rule (error, warning or info), for every finding of the rule, e.g. {{ARC302: info}}.
severity: {{}}
# Lowest severity that makes the exit code 1: warning or error (info never fails).
fail-on: warning
# File and folder names (globs) not to scan, e.g. ["legacy", "*.generated.tf"].
exclude: []
# Date that decides dated rules, YYYY-MM-DD (default: today, UTC).
# as-of: 2026-12-31
# Edition of the OS support table (default: the newest); `arclint rules --matrices` lists them.
# support-matrix: {edition}
# Folders of extra policy YAML files.
policy-dirs: []
# .tfvars, .tfvars.json or .pkrvars.hcl files, as for terraform/packer.
var-files: []
# Also evaluate root-module input switches (bool inputs, inputs that default to null) with their other value.
explore: true
# Keep parsed files in .arclint_cache/ of the scanned folder, keyed by content and arclint version (default: on,
# but off where the CI variable is set: in a fresh checkout a cache can only come from the repository).
# cache: true
# Inline suppressions (# arclint:ignore ARC101 reason): require a reason; allow them for any rule (true),
# for none (false) or only for a list of rules ([ARC302]).
suppressions:
  require-reason: false
  allow: true
"""


def starter() -> str:
    """The text ``arclint init`` writes: every key, at its default or commented out, explained in one line."""
    from arclint.matrix import available_editions

    editions = available_editions()
    return STARTER.format(edition=editions[-1] if editions else "YYYY-MM-DD")
