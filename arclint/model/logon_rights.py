r"""Settings of the Windows "Log on as a service" right (``SeServiceLogonRight``) in scripts and policies.

Each setting becomes a ``logon-right`` signal with the identities it names and its ``mode``:

- ``replace``: the list becomes exactly these identities: a security template (INF, the ``[Privilege
  Rights]`` section that ``secedit /configure /cfg`` or a GPO's ``GptTmpl.inf`` applies), a DSC
  ``UserRightsAssignment`` with ``Force = $true``, Ansible ``win_user_right`` with ``action: set``;
- ``add``: these identities are added (``ntrights +r``, DSC without ``Force``, Ansible ``action: add``);
- ``remove``: they are taken away (``ntrights -r``, DSC ``Ensure = 'Absent'``, Ansible ``action: remove``).

The Connected Machine agent's ``himds`` service needs the right; :data:`HIMDS_IDENTITIES` are the accepted
names (Microsoft's prerequisites), plus the well-known SID of ``NT SERVICE\ALL SERVICES`` (S-1-5-80-0).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from arclint.core.limits import MAX_CONFIG_BLOCK

if TYPE_CHECKING:
    from arclint.model.scripts import Signal

HIMDS_SID = "S-1-5-80-4215458991-2034252225-2287069555-1155419622-2701885083"
HIMDS_IDENTITIES = frozenset({"nt service\\himds", "nt service\\all services", HIMDS_SID.lower(), "s-1-5-80-0"})
DEFAULT = ("NT SERVICE\\ALL SERVICES",)  # Windows grants virtual service accounts the right by default

_INF = re.compile(r"^[ \t]*SeServiceLogonRight[ \t]*=[ \t]*(?P<ids>[^\r\n]*)", re.IGNORECASE | re.MULTILINE)
_ID = r"""(?:"[^"\n]*"|'[^'\n]*'|[^\s"']+)"""
_NTRIGHTS = re.compile(
    rf"\bntrights(?:\.exe)?\b(?:[^\n]*?\s-u[ \t]+(?P<id>{_ID}))?[^\n]*?\s(?P<op>[+-])r[ \t]+SeServiceLogonRight\b"
    rf"(?:[^\n]*?\s-u[ \t]+(?P<id2>{_ID}))?",
    re.IGNORECASE,
)
_DSC = re.compile(r"\bUserRightsAssignment[ \t]+[^\n{]*\{", re.IGNORECASE)
_DSC_POLICY = re.compile(r"""\bPolicy\s*=\s*["']Log_on_as_a_service["']""", re.IGNORECASE)
_DSC_IDENTITY = re.compile(
    r"""\bIdentity\s*=\s*(?P<ids>@\([^)]*\)|(?:"[^"\n]*"|'[^'\n]*')(?:\s*,\s*(?:"[^"\n]*"|'[^'\n]*'))*)""",
    re.IGNORECASE,
)
_DSC_FORCE = re.compile(r"\bForce\s*=\s*\$true\b", re.IGNORECASE)
_DSC_ABSENT = re.compile(r"""\bEnsure\s*=\s*["']Absent["']""", re.IGNORECASE)
_ANSIBLE = re.compile(
    r"^(?P<indent>[ \t]*)(?:-[ \t]+)?(?:ansible\.windows\.)?win_user_right[ \t]*:[ \t]*$", re.MULTILINE
)
_YAML_KEY = re.compile(r"^[ \t]*(?P<key>name|users|action)[ \t]*:[ \t]*(?P<value>[^\n#]*)", re.MULTILINE)
_YAML_ITEM = re.compile(r"^[ \t]*-[ \t]+(?P<value>[^\n#]+)")
_QUOTED = re.compile(r""""([^"\n]*)"|'([^'\n]*)'""")


def _clean(identity: str) -> str:
    return identity.strip().strip("\"'").strip().lstrip("*").replace("\\\\", "\\")


def _split(raw: str, sep: str = ",") -> list[str]:
    return [c for c in (_clean(p) for p in raw.split(sep)) if c]


def grants_himds(identities: list[str]) -> bool:
    """Whether one of ``identities`` is ``NT SERVICE\\himds``, ``NT SERVICE\\ALL SERVICES`` or their SID."""
    return any(i.lower() in HIMDS_IDENTITIES for i in identities)


def _signal(text: str, offset: int, mode: str, identities: list[str], tool: str) -> Signal:
    from arclint.model.scripts import Signal

    end = text.find("\n", offset)
    shown = text[offset : end if end >= 0 else len(text)].strip()[:200]
    detail = {"mode": mode, "identities": ", ".join(identities), "tool": tool}
    return Signal("logon-right", offset, text.count("\n", 0, offset), shown, detail)


def _block(text: str, start: int) -> str:
    """A brace-balanced block from the ``{`` at ``start - 1`` (bounded)."""
    depth = 1
    for i in range(start, min(len(text), start + MAX_CONFIG_BLOCK)):
        c = text[i]
        depth += 1 if c == "{" else -1 if c == "}" else 0
        if depth == 0:
            return text[start:i]
    return text[start : start + MAX_CONFIG_BLOCK]


def _dsc(text: str) -> list[Signal]:
    out = []
    for m in _DSC.finditer(text):
        body = _block(text, m.end())
        ident = _DSC_IDENTITY.search(body)
        if not _DSC_POLICY.search(body) or ident is None:
            continue
        ids = [a or b for a, b in _QUOTED.findall(ident.group("ids"))]
        mode = "remove" if _DSC_ABSENT.search(body) else "replace" if _DSC_FORCE.search(body) else "add"
        out.append(_signal(text, m.start(), mode, [c for c in map(_clean, ids) if c], "dsc"))
    return out


def _ansible(text: str) -> list[Signal]:
    out = []
    for m in _ANSIBLE.finditer(text):
        indent = len(m.group("indent").expandtabs())
        lines = text[m.end() + 1 : m.end() + 1 + MAX_CONFIG_BLOCK].split("\n")
        body: list[str] = []
        for line in lines:
            if line.strip() and len(line) - len(line.lstrip()) <= indent:
                break
            body.append(line)
        values: dict[str, str] = {}
        users: list[str] = []
        in_users = False
        for line in body:
            key = _YAML_KEY.match(line)
            if key:
                in_users = key.group("key") == "users"
                values[key.group("key")] = key.group("value").strip()
                if in_users and values["users"]:
                    users = _split(values["users"].strip("[]"))
                continue
            item = _YAML_ITEM.match(line)
            if in_users and item:
                users.append(_clean(item.group("value")))
            elif line.strip():
                in_users = False
        if _clean(values.get("name", "")).lower() != "seservicelogonright":
            continue
        action = _clean(values.get("action", "add")).lower()
        mode = {"set": "replace", "remove": "remove"}.get(action, "add")
        out.append(_signal(text, m.start() + len(m.group("indent")), mode, users, "ansible"))
    return out


def signals(text: str) -> list[Signal]:
    """The ``logon-right`` signals of ``text``, in text order."""
    low = text.lower()
    out: list[Signal] = []
    if "seservicelogonright" in low:
        for m in _INF.finditer(text):
            out.append(_signal(text, m.start(), "replace", _split(m.group("ids")), "security-template"))
        for m in _NTRIGHTS.finditer(text):
            ident = m.group("id") or m.group("id2") or ""
            out.append(_signal(text, m.start(), "add" if m.group("op") == "+" else "remove", _split(ident), "ntrights"))
        if "win_user_right" in low:
            out.extend(_ansible(text))
    if "log_on_as_a_service" in low and "userrightsassignment" in low:
        out.extend(_dsc(text))
    return sorted(out, key=lambda s: s.offset)


def effective(settings: list[tuple[str, list[str]]]) -> list[str]:
    """The identities that hold the right after ``settings`` (mode, identities), in order, from the default."""
    current = list(DEFAULT)
    for mode, identities in settings:
        if mode == "replace":
            current = list(identities)
        elif mode == "add":
            current += [i for i in identities if i.lower() not in {c.lower() for c in current}]
        else:
            gone = {i.lower() for i in identities}
            current = [c for c in current if c.lower() not in gone]
    return current
