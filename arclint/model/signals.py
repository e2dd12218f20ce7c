"""Every signal of a script text: its commands (``scripts``), the secrets its connects use
(``connect_secrets``), the "Log on as a service" rights it sets (``logon_rights``) and its hardening steps."""

from __future__ import annotations

from arclint.model import connect_secrets, logon_rights, scripts
from arclint.model.scripts import Signal


def scan(text: str) -> tuple[Signal, ...]:
    """Return the onboarding signals in ``text``, in text order."""
    found = scripts.command_signals(text)
    extra = connect_secrets.signals(text, found) + logon_rights.signals(text) + scripts.hardening(text)
    return tuple(sorted(found + extra, key=lambda s: s.offset)) if extra else tuple(found)
