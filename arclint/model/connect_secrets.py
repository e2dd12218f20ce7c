"""Secrets on the connect path: where a script gives ``azcmagent connect`` its secret, and whether it is literal.

The script scanner (:mod:`arclint.model.scripts`) already notes the secret flag of each ``azcmagent connect``
(``--service-principal-secret``, ``-p``, ``--access-token``). This module adds ``secret`` signals:

- the connect's own flag: ``literal``, ``variable`` (``$X``, ``${X}``, ``$(cat f)``, ``%X%``, ``{{ x }}``, a
  Terraform value not known, ``${?}``) or ``placeholder`` (``<secret>``, ``xxxx``, ``REPLACE_ME``: not a secret);
- a variable the flag reads that the same script assigns a literal (the portal script's
  ``$ServicePrincipalClientSecret="..."``): ``literal`` at the assignment line;
- an ``azcmagent`` configuration file (``--config``) key ``service-principal-secret``;
- ``ConvertTo-SecureString "..." -AsPlainText`` in a script that runs ``Connect-AzConnectedMachine``.

A secret value is never kept: signal texts have the value replaced by ``****``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from arclint.core.limits import MAX_LOGICAL_LINE
from arclint.core.redact import is_reference

if TYPE_CHECKING:
    from arclint.model.scripts import Signal

MASK = "****"
_PLACEHOLDER = re.compile(
    r"<[^>]*>|\[[^\]]*\]|[xX*#.?_-]{3,}|\.\.\.|(?i:"
    r"(?:(?:your|my|the|insert|enter|fill|replace|put)[-_ ]?)?"
    r"(?:replace[-_ ]?(?:me|this)|change[-_ ]?(?:me|it|this)|todo|tbd|placeholder|redacted|dummy|example"
    r"|(?:sp|client|app|service[-_ ]?principal(?:[-_ ]?client)?)?[-_ ]?(?:secret|password|token|key))"
    r"(?:[-_ ]?(?:here|value|goes[-_ ]here))?"
    r"|(?:replace|insert|enter|fill|your)[-_ ][\w -]*"
    r"|[\w-]*(?:placeholder|replace[-_]?me|change[-_]?me|redacted|dummy)[\w-]*)"
)
_REF_NAME = re.compile(r"""^\s*(?:\$\{?(?:env:)?(?P<a>\w+)\}?|%(?P<b>\w+)%)\s*$""", re.IGNORECASE)
_CONFIG_KEY = re.compile(
    r"""^[ \t]*["']?service-principal-secret["']?[ \t]*[:=][ \t]*(?P<val>"(?:[^"\\]|\\.)*"|'[^']*'|[^\s,#}]+)""",
    re.IGNORECASE | re.MULTILINE,
)
_SECURE_STRING = re.compile(
    r"""ConvertTo-SecureString\s+(?:-String\s+)?(?P<val>"(?:[^"`]|`.)*"|'[^']*')(?=[^\n]*-AsPlainText)""",
    re.IGNORECASE,
)


def _bare(value: str) -> str:
    value = value.strip()
    for _ in range(2):
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        value = value.replace('\\"', '"').strip()
    return value


def classify(raw: str) -> str:
    """``literal``, ``variable`` (a reference or expansion) or ``placeholder`` (a stand-in, not a secret)."""

    if is_reference(raw) or "${?}" in raw:
        return "variable"
    value = _bare(raw)
    if not value or _PLACEHOLDER.fullmatch(value):
        return "placeholder"
    return "literal"


def digest(raw: str) -> str:
    """A short fingerprint of a secret value: compared with values given from outside the configuration
    (``TF_VAR_*``, ``--var``) without keeping the value itself."""
    import hashlib

    return hashlib.sha256(_bare(raw).encode("utf-8", "surrogatepass")).hexdigest()[:32]


def outside_values(env: Mapping[str, str], variables: Iterable[tuple[str, str]]) -> frozenset[str]:
    """Fingerprints of the variable values given outside the configuration (``TF_VAR_*``, ``PKR_VAR_*``,
    ``--var``): a secret among them is not committed."""
    given = [v for k, v in env.items() if k.startswith(("TF_VAR_", "PKR_VAR_"))] + [v for _, v in variables]
    return frozenset(digest(v) for v in given if v.strip())


def reference_name(raw: str) -> str | None:
    """The variable a value reads when it is one plain variable (``$X``, ``"${X}"``, ``$env:X``, ``%X%``)."""
    m = _REF_NAME.match(_bare(raw))
    return (m.group("a") or m.group("b")) if m else None


def _line_span(text: str, offset: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    return start, end if end >= 0 else len(text)


def _masked_line(text: str, start: int, end: int) -> str:
    """The line holding ``text[start:end]`` with that span replaced by ``****``."""
    a, b = _line_span(text, start)
    return (text[a:start] + MASK + text[end:b]).strip()[:200]


def _signal(text: str, offset: int, shown: str, detail: dict[str, str]) -> Signal:
    from arclint.model.scripts import Signal

    return Signal("secret", offset, text.count("\n", 0, offset), shown, detail)


def _assignment(text: str, name: str, before: int) -> re.Match[str] | None:
    """The last assignment of variable ``name`` before offset ``before`` (shell, PowerShell, cmd ``set``)."""
    pattern = re.compile(
        rf"""^[ \t]*(?:export[ \t]+|set[ \t]+|readonly[ \t]+|declare[ \t]+(?:-\w+[ \t]+)*|local[ \t]+)?"""
        rf"""(?:\$(?:env:)?)?{re.escape(name)}[ \t]*=[ \t]*(?P<val>"(?:[^"\\`]|[\\`].)*"|'[^']*'|[^\s;#]+)""",
        re.IGNORECASE | re.MULTILINE,
    )
    found = None
    for m in pattern.finditer(text, 0, before):
        found = m
    return found


_CMDLET = re.compile(r"[A-Za-z]+-[A-Za-z]+")


def _computed(text: str, m: re.Match[str]) -> bool:
    """Whether an assignment's value is computed, not written: an unquoted word with arguments after it
    (``$s = Get-Content C:\\arc\\secret.txt``) or a PowerShell cmdlet name."""
    value = m.group("val")
    if value[:1] in "\"'":
        return False
    end = text.find("\n", m.end("val"))
    rest = text[m.end("val") : end if end >= 0 else len(text)].strip()
    return bool(rest and rest[0] not in ";#") or bool(_CMDLET.fullmatch(value))


def _connect_secret(text: str, offset: int) -> tuple[str, str] | None:
    """(flag, raw value) of the secret flag of the ``azcmagent connect`` on the logical line at ``offset``."""
    from arclint.model import scripts

    for _, line in scripts.logical_lines(text[offset : offset + MAX_LOGICAL_LINE]):
        for command in scripts.commands(line):
            verb = scripts.AZCM_VERB.search(command)
            m = scripts.SECRET_FLAG.search(command, verb.end()) if verb else None
            if m is not None:
                return re.split(r"[\s=]", m.group(0).strip(), maxsplit=1)[0], m.group("val")
        return None
    return None


def signals(text: str, found: list[Signal]) -> list[Signal]:
    """The ``secret`` signals of ``text``, given the signals the scanner found in it."""
    out: list[Signal] = []
    for sig in found:
        if sig.kind != "connect" or "secret" not in sig.detail or "encoded" in sig.detail:
            continue
        flag, raw = _connect_secret(text, sig.offset) or ("--service-principal-secret", "")
        value = classify(raw) if raw else sig.detail["secret"]
        name = reference_name(raw) if value == "variable" else None
        if name:
            m = _assignment(text, name, sig.offset)
            if m is not None and not _computed(text, m) and classify(m.group("val")) == "literal":
                shown = _masked_line(text, m.start("val"), m.end("val"))
                detail = {"value": "literal", "via": f"{flag} ${name}", "digest": digest(m.group("val"))}
                out.append(_signal(text, m.start(), shown, detail))
                continue
        detail = {"value": value, "via": flag}
        if value == "literal":
            detail["digest"] = digest(raw)
        out.append(_signal(text, sig.offset, sig.text, detail))
    low = text.lower()
    if "service-principal-secret" in low:
        for m in _CONFIG_KEY.finditer(text):
            shown = _masked_line(text, m.start("val"), m.end("val"))
            value = classify(m.group("val"))
            detail = {
                "value": value,
                "via": "configuration file",
                **({"digest": digest(m.group("val"))} if value == "literal" else {}),
            }
            out.append(_signal(text, m.start(), shown, detail))
    if "connect-azconnectedmachine" in low and "convertto-securestring" in low:
        for m in _SECURE_STRING.finditer(text):
            value = classify(m.group("val"))
            if value != "variable":
                shown = _masked_line(text, m.start("val"), m.end("val"))
                detail = {
                    "value": value,
                    "via": "ConvertTo-SecureString",
                    **({"digest": digest(m.group("val"))} if value == "literal" else {}),
                }
                out.append(_signal(text, m.start(), shown, detail))
    return out
