"""Find onboarding in the scripts a target carries: user data, provisioners, extensions.

A carrier is a value (evaluated attribute) plus where it is written; each script line found
keeps the file and line it came from (the template's own line when the text is traced).
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterable

from arclint import scripts
from arclint.document import Loc
from arclint.evaluate.blocks import EvalBlock
from arclint.evaluate.files import Reader
from arclint.evaluate.values import Encoded, Traced
from arclint.load.errors import LoadError
from arclint.load.jsonfile import parse_json
from arclint.evaluate.values import Unknown as UnknownValue
from arclint.model.target import Evidence, Found, Target, Unknown

EXEC_PROVISIONERS = frozenset({"remote-exec", "shell", "powershell", "windows-shell"})
MAX_NESTING = 20


def scan_value(target: Target, value: object, where: Loc, subject: str, depth: int = 0) -> None:
    """Add the signals found in ``value`` (any shape) to ``target``; note unknown scripts."""
    if value is None or isinstance(value, (bool, int, float)):
        return
    if depth > MAX_NESTING:
        target.unknowns.append(Unknown(subject, f"its value is nested deeper than arclint's limit of {MAX_NESTING} levels; not examined"))
        return
    if isinstance(value, UnknownValue):
        reason = "; ".join(value.reasons) or "its value is known only after apply"
        target.unknowns.append(Unknown(subject, reason))
        return
    if isinstance(value, Encoded):
        scan_value(target, value.inner, where, subject, depth + 1)
        return
    if isinstance(value, list):
        for item in value:
            scan_value(target, item, where, subject, depth + 1)
        return
    if isinstance(value, dict):
        for item in value.values():
            scan_value(target, item, where, subject, depth + 1)
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
                scan_value(target, parsed, where, subject, depth + 1)
                return
    _add_signals(target, text, where)


def _add_signals(target: Target, text: str, where: Loc) -> None:
    for signal in scripts.scan(text):
        origin = text.origin(signal.offset) if isinstance(text, Traced) else None
        if origin is None:
            evidence = Evidence(where.file, where.line, signal.text)
        else:
            evidence = Evidence(origin[0], origin[1], signal.text)
        target.onboarding.found.append(Found(signal, evidence))


def scan_attributes(target: Target, body: EvalBlock, names: Iterable[str], prefix: str = "") -> None:
    """Scan the named attributes (or nested blocks) of ``body`` that are written."""
    for name in names:
        if body.has(name):
            scan_value(target, body.get(name), body.loc_of(name), f"{prefix}{name}")


def scan_provisioners(target: Target, provisioners: list[EvalBlock], reader: Reader, base: Path) -> None:
    """Scan provisioners in order; a delivered file counts when a later step mentions it."""
    delivered: list[tuple[str, object, Loc]] = []
    for prov in provisioners:
        ptype = prov.labels[0] if prov.labels else ""
        if ptype == "file":
            delivered.extend(_delivered(prov, reader, base))
            continue
        if ptype in ("ansible", "ansible-local"):
            _scan_paths(target, prov, ["playbook_file"], reader, base)
            continue
        if ptype not in EXEC_PROVISIONERS:
            continue
        texts = _exec_texts(target, prov, reader, base)
        for dest, content, loc in list(delivered):
            if any(dest and dest in t for t in texts):
                scan_value(target, content, loc, f"file provisioner {dest}")
                delivered.remove((dest, content, loc))


def _exec_texts(target: Target, prov: EvalBlock, reader: Reader, base: Path) -> list[str]:
    """Scan what an exec provisioner runs; return its texts for delivered-file matching."""
    texts: list[str] = []
    if prov.has("inline"):
        inline = prov.get("inline")
        scan_value(target, inline, prov.loc_of("inline"), "provisioner inline")
        if isinstance(inline, list):
            texts.extend(str(x) for x in inline if isinstance(x, str))
    env = prov.get("environment_vars")
    if isinstance(env, list):
        for item in env:
            if isinstance(item, str):
                _add_signals(target, f"export {item}", prov.loc_of("environment_vars"))
    texts.extend(_scan_paths(target, prov, ["script", "scripts"], reader, base))
    return texts


def _scan_paths(target: Target, prov: EvalBlock, names: list[str], reader: Reader, base: Path) -> list[str]:
    texts: list[str] = []
    for name in names:
        if not prov.has(name):
            continue
        value = prov.get(name)
        paths = value if isinstance(value, list) else [value]
        for path in paths:
            if isinstance(path, UnknownValue):
                scan_value(target, path, prov.loc_of(name), f"provisioner {name}")
            elif isinstance(path, str):
                content = reader.read(path, base)
                scan_value(target, content, prov.loc_of(name), f"script {path}")
                if isinstance(content, str):
                    texts.append(content)
    return texts


def _delivered(prov: EvalBlock, reader: Reader, base: Path) -> list[tuple[str, object, Loc]]:
    dest = prov.get("destination")
    dest_name = Path(str(dest)).name if isinstance(dest, str) else ""
    if prov.has("content"):
        return [(dest_name, prov.get("content"), prov.loc_of("content"))]
    out: list[tuple[str, object, Loc]] = []
    for key in ("source", "sources"):
        value = prov.get(key)
        for src in value if isinstance(value, list) else [value]:
            if isinstance(src, str) and not src.endswith("/"):
                name = dest_name if dest_name and "." in dest_name else Path(src).name
                out.append((name, reader.read(src, base), prov.loc_of(key)))
    return out
