"""Secret masking: every text arclint prints goes through here, so no secret value is ever shown.

Two kinds: values arclint knows are secret (``sensitive`` variables: ``secret_strings``, ``mask_known``) and
secret-looking arguments in script lines (``--service-principal-secret x``, ``password=x``, SAS signatures,
bearer tokens, JWTs: ``mask_secrets``). A reference (``$SECRET``, ``${var.x}``) is never masked: it shows
where the value comes from, not the value.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from arclint.core.limits import MAX_EVIDENCE_TEXT

MASK = "****"
MIN_SECRET = 4  # shorter values would mask ordinary words

# --- values in command lines --------------------------------------------------------------------

VALUE = (  # a value token of a command line: quoted, escaped-quoted or bare, with expansions
    r"""(?P<val>(?P<bs>\\+)"(?:[^"\\]|\\.)*?(?P=bs)"|"(?:[^"\\]|\\.)*"|'[^']*'"""
    r"""|(?:\$\([^)]*\)|\$\{[^}]*\}|\$(?![({])|[^\s"'`;|&}\]$\\]|\\+(?![\\"]))+)"""
)
_WRAPPED = re.compile(r"""(\\*)(["'])(.*)\1\2""", re.DOTALL)
_REFERENCE = re.compile(r"""\s*(?:\$|%\w+%|!\w+!|\{\{|\(|(?:var|local|data|module|each|self|path)\.)""")


def unquote(value: str) -> str:
    r"""Strip one level of quotes (``"x"``, ``'x'``, ``\"x\"``) from a raw token."""
    m = _WRAPPED.fullmatch(value)
    return m.group(3) if m and len(value) >= 2 * len(m.group(1) + m.group(2)) else value


def is_reference(value: str) -> bool:
    """Tell whether a value is a variable/expansion rather than a literal."""
    inner = unquote(value)
    return not inner or bool(_REFERENCE.match(inner))


# --- secret-looking arguments -------------------------------------------------------------------

_MASK = re.compile(
    r"(?P<pre>(?<![\w-])(?:--service-principal-secret|--access-token|--client-secret|--password|--secret"
    r"|-ServicePrincipalSecret|-ClientSecret|-AccessToken|-Password|-SasToken)(?:\s*[=:]\s*|\s+)"
    r"""|(?:secret|password|passwd|token|accountkey|apikey|api_key)\\?["']?\s*(?:=>|=|:)\s*"""
    r"|ConvertTo-SecureString\s+(?:-String\s+)?)" + VALUE,
    re.IGNORECASE,
)
_MASK_P = re.compile(r"(?P<pre>(?<![\w-])-p(?:\s*=\s*|\s+))" + VALUE)
_P_CONTEXT = re.compile(r"azcmagent|\baz\s+login\b", re.IGNORECASE)
_MASK_SIG = re.compile(r"(?P<pre>[?&]sig=)(?P<val>[^&\s\"'#]+)", re.IGNORECASE)
_MASK_BEARER = re.compile(r"(?P<pre>\bBearer\s+)(?P<val>[A-Za-z0-9._~+/=-]{8,})")
_JWT = re.compile(r"\beyJ[\w-]{5,}\.[\w-]{5,}\.[\w-]+")
_SECRET_HINT = re.compile(r"secret|passw|token|key|sig=|bearer|eyJ|-p\b|securestring", re.IGNORECASE)


def _mask_value(m: re.Match[str]) -> str:
    value = m.group("val")
    if is_reference(value) or unquote(value) == "****":
        return m.group(0)
    wrap = _WRAPPED.fullmatch(value)
    quote = wrap.group(1) + wrap.group(2) if wrap else ""
    return f"{m.group('pre')}{quote}****{quote}"


def mask_secrets(line: str) -> str:
    """Replace secret values (never ``$VAR`` references) in a line with ``****``."""
    if not _SECRET_HINT.search(line):
        return line
    out = _MASK.sub(_mask_value, line)
    low = out.lower()
    if " -p" in low:
        ctx = _P_CONTEXT.search(out)
        if ctx:
            out = out[: ctx.end()] + _MASK_P.sub(_mask_value, out[ctx.end() :])
    if "sig=" in low:
        out = _MASK_SIG.sub(lambda m: m.group("pre") + "****", out)
    if "bearer" in low:
        out = _MASK_BEARER.sub(lambda m: m.group("pre") + "****", out)
    return _JWT.sub("****", out) if "eyj" in low else out


def clip(text: str) -> str:
    """``text`` cut to ``MAX_EVIDENCE_TEXT`` characters for evidence (an ellipsis marks the cut)."""
    return text if len(text) <= MAX_EVIDENCE_TEXT else text[: MAX_EVIDENCE_TEXT - 1] + "…"


# --- values known to be secret ------------------------------------------------------------------


def _strings(value: object) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def secret_strings(values: Iterable[object]) -> list[str]:
    """The strings inside sensitive values worth masking, longest first."""
    found = {s for v in values for s in _strings(v) if len(s.strip()) >= MIN_SECRET}
    return sorted(found, key=len, reverse=True)


def mask_known(text: str, secrets: list[str]) -> str:
    """``text`` with each of ``secrets`` replaced by ``****``."""
    for secret in secrets:
        if secret in text:
            text = text.replace(secret, MASK)
    return text
