"""Find onboarding in the scripts a target carries: user data, provisioners, extensions.

A carrier is a value (evaluated attribute) plus where it is written; each script line found
keeps the file and line it came from (the template's own line when the text is traced).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from arclint.core.document import Loc
from arclint.core.errors import LoadError
from arclint.core.limits import MAX_VALUE_NESTING
from arclint.core.values import Encoded, Traced, Unknown
from arclint.evaluate.blocks import EvalBlock
from arclint.evaluate.files import Reader
from arclint.load.jsonfile import parse_json
from arclint.model import scripts
from arclint.model.facts import Evidence, Found, Locate, Undecided, Write
from arclint.model.flow import Flow, evidence_at
from arclint.model.target import Target

EXEC_PROVISIONERS = frozenset({"remote-exec", "shell", "powershell", "windows-shell"})


def scan_value(
    target: Target,
    value: object,
    where: Loc,
    subject: str,
    depth: int = 0,
    reader: Reader | None = None,
    chain: tuple[Evidence, ...] = (),
) -> None:
    """Add the signals found in ``value`` (any shape) to ``target``; note unknown scripts.

    ``chain`` is how the value reached the target (an extension's ``fileUris`` line); ``reader`` lets
    downloads of this repository's own files be followed.
    """
    if value is None or isinstance(value, (bool, int, float)):
        return
    if depth > MAX_VALUE_NESTING:
        target.unknowns.append(
            Undecided(
                subject, f"its value is nested deeper than arclint's limit of {MAX_VALUE_NESTING} levels; not examined"
            )
        )
        return
    if isinstance(value, Unknown):
        reason = "; ".join(value.reasons) or "its value is known only after apply"
        target.unknowns.append(Undecided(subject, reason))
        return
    if isinstance(value, Encoded):
        scan_value(target, value.inner, where, subject, depth + 1, reader, chain)
        return
    if isinstance(value, list):
        for item in value:
            scan_value(target, item, where, subject, depth + 1, reader, chain)
        return
    if isinstance(value, dict):
        for item in value.values():
            scan_value(target, item, where, subject, depth + 1, reader, chain)
        return
    text = value if isinstance(value, str) else str(value)
    if not isinstance(value, Traced):
        decoded = scripts.decode_base64_script(text)
        if decoded is not None:
            text = decoded
        elif text.lstrip().startswith(("{", "[")):
            try:
                parsed = parse_json(text, where.file)
            except (LoadError, ValueError):
                parsed = None
            if parsed is not None:
                scan_value(target, parsed, where, subject, depth + 1, reader, chain)
                return
    Flow(target, reader).text(text, where, chain=chain)


def scan_attributes(
    target: Target, body: EvalBlock, names: Iterable[str], prefix: str = "", reader: Reader | None = None
) -> None:
    """Scan the named attributes (or nested blocks) of ``body`` that are written."""
    for name in names:
        if body.has(name):
            scan_value(target, body.get(name), body.loc_of(name), f"{prefix}{name}", reader=reader)


def scan_provisioners(target: Target, provisioners: list[EvalBlock], reader: Reader, base: Path) -> None:
    """Scan provisioners in order; a delivered file counts when a later step runs or registers it."""
    flow = Flow(target, reader)
    for prov in provisioners:
        ptype = prov.labels[0] if prov.labels else ""
        if ptype == "file":
            for write in _delivered(prov, reader, base):
                flow.pend(write)
            continue
        if ptype in ("ansible", "ansible-local"):
            _scan_paths(target, prov, ["playbook_file"], reader, base)
            continue
        if ptype not in EXEC_PROVISIONERS:
            continue
        _exec_texts(target, prov, reader, base)


def _exec_texts(target: Target, prov: EvalBlock, reader: Reader, base: Path) -> None:
    """Scan what an exec provisioner runs."""
    if prov.has("inline"):
        scan_value(target, prov.get("inline"), prov.loc_of("inline"), "provisioner inline", reader=reader)
    env = prov.get("environment_vars")
    if isinstance(env, list):
        for item in env:
            if isinstance(item, str):
                Flow(target, reader).text(f"export {item}", prov.loc_of("environment_vars"))
    _scan_paths(target, prov, ["script", "scripts"], reader, base)


def _scan_paths(target: Target, prov: EvalBlock, names: list[str], reader: Reader, base: Path) -> None:
    for name in names:
        if not prov.has(name):
            continue
        value = prov.get(name)
        paths = value if isinstance(value, list) else [value]
        for path in paths:
            if isinstance(path, Unknown):
                scan_value(target, path, prov.loc_of(name), f"provisioner {name}")
            elif isinstance(path, str):
                _named_steps(target, path, prov.loc_of(name))
                scan_value(target, reader.read(path, base), prov.loc_of(name), f"script {path}", reader=reader)


def _named_steps(target: Target, path: str, loc: Loc) -> None:
    """A script or playbook whose file name says what it applies (``cis-benchmark-l1.ps1``): a hardening step."""
    for signal in scripts.hardening(path):
        target.onboarding.found.append(Found(signal, Evidence(loc.file, loc.line, f"provisioner runs {path}")))


def _delivered(prov: EvalBlock, reader: Reader, base: Path) -> list[Write]:
    """The files a ``file`` provisioner uploads: destination name, content, and the provisioner line."""
    dest = prov.get("destination")
    dest_path = str(dest) if isinstance(dest, str) else ""
    dest_name = re.split(r"[\\/]", dest_path)[-1] if dest_path else ""
    pairs: list[tuple[str, object, Loc]] = []
    if prov.has("content"):
        pairs.append((dest_path, prov.get("content"), prov.loc_of("content")))
    for key in ("source", "sources"):
        value = prov.get(key)
        for src in value if isinstance(value, list) else [value]:
            if isinstance(src, str) and not src.endswith("/"):
                path = dest_path if dest_name and "." in dest_name else f"{dest_path.rstrip('/')}/{Path(src).name}"
                pairs.append((path, reader.read(src, base), prov.loc_of(key)))
    out: list[Write] = []
    for path, content, loc in pairs:
        evidence = Evidence(loc.file, loc.line, f"file provisioner uploads {path}")
        locate = _locator(content, loc)
        name = re.split(r"[\\/]", path)[-1].lower()
        out.append(Write(name, path, content, locate, evidence, (), "now", 0, 0, f"file provisioner {path}"))
    return out


def _locator(content: object, loc: Loc) -> Locate:
    if isinstance(content, str):
        return lambda off, line: evidence_at(content, off, loc, line)
    return lambda off, line: Evidence(loc.file, loc.line, line)
