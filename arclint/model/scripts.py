r"""Find Azure Arc onboarding signals in script text.

A pure, fast scanner over shell, PowerShell, cmd, cloud-init and Ansible-ish YAML text. It reports
*signals* (agent install, ``azcmagent connect``, the evaluation-on-Azure steps, generalization, removed
prerequisites) with the line that proves each one. It never runs anything and never prints a secret:
every reported text and detail value goes through :func:`arclint.core.redact.mask_secrets`.

How it stays fast: one anchor regex over the lower-cased text finds candidate lines; only those lines
(joined with their ``\\``/backtick continuations) are split into commands and matched against the
signatures, and every regex is compiled once at import.
"""

from __future__ import annotations

import base64
import binascii
import re
import zlib
from bisect import bisect_right
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from itertools import accumulate

from arclint.core.limits import (
    MAX_DECODE_DEPTH,
    MAX_DECODED,
    MAX_HARDENING,
    MAX_LOGICAL_LINE,
    MAX_SEGMENT,
)
from arclint.core.redact import VALUE, clip, is_reference, mask_secrets, unquote

KINDS = (
    "install",
    "connect",
    "disconnect",
    "test-flag",
    "guest-agent-disabled",
    "imds-blocked",
    "generalize",
    "remove-prereq",
    "secret",
    "logon-right",
    "harden",
)


@dataclass(frozen=True)
class Signal:
    """One onboarding fact found in a script, with the line that proves it."""

    kind: str
    offset: int
    line: int
    text: str
    detail: Mapping[str, str] = field(default_factory=dict, hash=False)


Detail = dict[str, str]
Found = list[tuple[str, Detail]]

# --- lines, continuations, comments -----------------------------------------------------------

_ANCHORS = (
    r"azcmagent|connectedmachine|onboardingscript|msft_arc_test|walinuxagent|waagent"
    r"|windowsazureguestagent|169\.254\.169\.254|sysprep|cloud-init|remove|purge|erase"
    r"|zypper|dpkg|rpm|powershell|pwsh|base64"
)
_ANCHOR_LOWER = re.compile(_ANCHORS)  # searched in lower-cased text: much faster than IGNORECASE
_ANCHOR_ANYCASE = re.compile(_ANCHORS, re.IGNORECASE)
_COMMENT_LINE = re.compile(r"\s*(?:#|::|@?rem(?:\s|$))", re.IGNORECASE)
_BLOCK_COMMENT = re.compile(r"<#.*?(?:#>|\Z)", re.DOTALL)
_YAML_BLOCK_SCALAR = re.compile(r"(?:^|[:\-])\s*[|>][-+]?\d*\s*$")


def _continues(line: str) -> bool:
    """Tell whether a physical line continues onto the next one."""
    s = line.rstrip()
    if not s or s.lstrip().startswith("#"):
        return False
    last = s[-1]
    if last == "`":
        return True
    if last == "\\":
        return (len(s) - len(s.rstrip("\\"))) % 2 == 1
    if last == "^":
        return len(s) > 1 and s[-2] in " \t"
    if last == "|" or s.endswith("&&"):
        return not _YAML_BLOCK_SCALAR.search(s)
    return False


def _piece(line: str, cont: bool) -> str:
    """Return a physical line stripped of its continuation marker."""
    s = line.strip()
    if cont and s[-1:] in ("`", "\\", "^"):
        s = s[:-1].rstrip()
    return s


def _blank_spans(text: str, spans: list[tuple[int, int]]) -> str:
    """Blank out PowerShell block comments (keeping offsets)."""
    parts: list[str] = []
    pos = 0
    for start, end in spans:
        parts.append(text[pos:start])
        parts.append(re.sub(r"[^\n]", " ", text[start:end]))
        pos = end
    parts.append(text[pos:])
    return "".join(parts)


# --- splitting a logical line into commands -----------------------------------------------------

_TOKEN = re.compile(
    r""""(?:[^"\\`]|[\\`].)*"|'[^']*'|&&|\|\||;|(?<!\S)\#.*|[^"'\\`;&|#]+|[\\`].|.""",
    re.DOTALL,
)
_QUOTED = re.compile(r""""(?:[^"\\`]|[\\`].)*"|'[^']*'""", re.DOTALL)
_WHOLE_QUOTED = re.compile(r"""\s*("(?:[^"\\`]|[\\`].)*"|'[^']*')\s*,?\s*""", re.DOTALL)
_FLOW_ITEM = re.compile(r""""(?:[^"\\]|\\.)*"|'[^']*'|[^,]+""")
_SH_C = re.compile(
    r"""(?:sudo(?:\s+-\S+)*\s+)?(?:\S*/)?(?:ba|da|z|k)?sh(?:\s+-\w+)*\s+-c\s+("(?:[^"\\]|\\.)*"|'[^']*')"""
    r"""(?:\s+\S+)*\s*""",
    re.DOTALL,
)
_PS_COMMAND = re.compile(
    r"""(?:\S*[\\/])?(?:powershell|pwsh)(?:\.exe)?(?:\s+-(?!c\b|command\b)\w+(?:\s+(?!-)[^\s"']+)?)*"""
    r"""\s+-(?:c|command)\s+("(?:[^"`]|`.)*"|'[^']*'|\{.*\})\s*""",
    re.IGNORECASE | re.DOTALL,
)
_LIST_DASH = re.compile(r"^\s*-\s+")


def _split(line: str) -> list[str]:
    """Split on ``;``, ``&&`` and ``||`` outside quotes; drop a trailing ``#`` comment."""
    segments: list[str] = []
    current: list[str] = []
    for m in _TOKEN.finditer(line):
        tok = m.group()
        if tok in (";", "&&", "||"):
            segments.append("".join(current))
            current = []
        elif tok[0] == "#" and (m.start() == 0 or line[m.start() - 1].isspace()):
            break
        else:
            current.append(tok)
    segments.append("".join(current))
    return [s.strip() for s in segments if s.strip()]


def _unquote_string(s: str) -> str:
    r"""Return the content of a quoted string, unescaping ``\"`` in double quotes."""
    if s[:1] == '"':
        return re.sub(r"\\([\"\\])", r"\1", s[1:-1])
    return s[1:-1]


def _unwrap(seg: str) -> str | None:
    """Return the inner command of a wrapper (quoted string, flow list, ``sh -c``), else None."""
    body = _LIST_DASH.sub("", seg, count=1).rstrip().rstrip(",").rstrip()
    m = _WHOLE_QUOTED.fullmatch(body)
    if m:
        return _unquote_string(m.group(1))
    if body.startswith("[") and body.endswith("]") and "," in body:
        items = [i.strip() for i in _FLOW_ITEM.findall(body[1:-1]) if i.strip()]
        return " ".join(items)
    m = _SH_C.fullmatch(body)
    if m:
        return _unquote_string(m.group(1))
    m = _PS_COMMAND.fullmatch(body)
    if m:
        inner = m.group(1)
        return inner[1:-1] if inner[0] in "{'\"" else inner
    return None


def _segments(line: str, depth: int = 0) -> Iterator[str]:
    """Yield the simple commands in a logical line, unwrapping quoted and ``sh -c`` wrappers."""
    for seg in _split(line):
        inner = _unwrap(seg) if depth < 4 else None
        if inner is not None and inner.strip() and inner != seg:
            yield from _segments(inner, depth + 1)
        else:
            yield seg


# --- command heads: comments, echo, descriptive keys -----------------------------------------

_HEAD_NOISE = re.compile(
    r"""^(?:[\s\-\[\]"',({!]+|(?:then|do|else|exec|nohup|time|command|sudo(?:\s+-\S+)*)\s+)*""",
    re.IGNORECASE,
)
_KEY = re.compile(r"^([A-Za-z_][\w.-]*)[\"']?\s*(:|=)(?:\s+|$)")
_SKIP_KEYS = frozenset(
    {
        "name",
        "description",
        "desc",
        "msg",
        "message",
        "comment",
        "comments",
        "title",
        "summary",
        "display_name",
        "displayname",
        "label",
        "fail_msg",
        "success_msg",
        "debug",
        "note",
        "notes",
        "help",
    }
)
_ECHO = re.compile(
    r"(?:@?echo(?:\b|\.)|printf\b|print\b|puts\b|logger\b|out-host\b|"
    r"write-(?:host|output|verbose|information|warning|error|debug|progress|log\w*|message)\b|"
    r"(?:log|info|warn|msg)(?:_\w+)?\b)",
    re.IGNORECASE,
)
_PIPE_TO_SHELL = re.compile(
    r"\|\s*(?:sudo(?:\s+-\S+)*\s+)?(?:(?:\S*/)?(?:ba|da|z|k)?sh\b|iex\b|invoke-expression\b)",
    re.IGNORECASE,
)
_REDIRECT = re.compile(r">|\|\s*(?:sudo\s+)?tee\b|\|\s*(?:out-file|add-content|set-content)\b", re.IGNORECASE)


def _mode(seg: str) -> str:
    """Classify a command: ``scan`` (all kinds), ``env`` (echo into a file: test flag only), ``skip``."""
    head = _HEAD_NOISE.sub("", seg, count=1)
    m = _KEY.match(head)
    if m:
        if m.group(1).lower() in _SKIP_KEYS:
            return "skip"
        if m.group(2) == ":":
            head = _HEAD_NOISE.sub("", head[m.end() :], count=1)
    if not _ECHO.match(head):
        return "scan"
    bare = _QUOTED.sub("", head)
    if _PIPE_TO_SHELL.search(bare):
        return "scan"
    return "env" if _REDIRECT.search(bare) else "skip"


# --- values and flags ---------------------------------------------------------------------------


def _flag(names: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w-])(?:{names})(?:\s*=\s*|\s+){VALUE}", re.IGNORECASE)


def _has_flag(names: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w-])(?:{names})(?![\w-])", re.IGNORECASE)


# --- signatures ---------------------------------------------------------------------------------

_NON_EXEC_HEAD = re.compile(
    r"(?:(?:if|elif|while|until)\s+(?:!\s*)?)?(?:\(\s*)?(?:-not\s*\(\s*)?"
    r"(?:rm|del|erase|rmdir|unlink|remove-item|ri|test-path|test|\[\[?|ls|dir|stat|get-item|get-childitem)"
    r"(?=\s|$)",
    re.IGNORECASE,
)
_INSTALL_SCRIPT = re.compile(
    r"aka\.ms/azcmagent(?:-(?:windows|linux))?(?![\w-])|gbl\.his\.arc\.azure\.com/azcmagent-(?:linux|windows)"
    r"|install_(?:linux|windows)_azcmagent\.(?:sh|ps1)",
    re.IGNORECASE,
)
_INSTALL_MSI = re.compile(
    r"aka\.ms/AzureConnectedMachineAgent(?:-(?P<v1>\d+(?:\.\d+)*))?(?![\w-])"
    r"|gbl\.his\.arc\.azure\.com/azcmagent/(?P<v2>\d+(?:\.\d+)*)/AzureConnectedMachineAgent\.msi"
    r"|AzureConnectedMachineAgent(?:-(?P<v3>\d+(?:\.\d+)*))?\.msi",
    re.IGNORECASE,
)
_MSIEXEC_AGENT = re.compile(r"msiexec\b.{0,1000}?AzureConnectedMachineAgent", re.IGNORECASE)
_MSI_UNINSTALL = re.compile(r"msiexec\S*\s.{0,1000}?/(?:x|uninstall)\b", re.IGNORECASE)
_ALT_DOWNLOAD = _flag(r"-AltDownload|--altdownload")
_DESIRED_VERSION = _flag(r"--desiredversion|-DesiredVersion")
_PKG = re.compile(
    r"(?<![\w./-])(?P<mgr>apt-get|apt|yum|dnf|tdnf|microdnf|zypper)(?:\s+-\S+)*\s+"
    r"(?P<verb>install|in|reinstall|upgrade|update|up|remove|rm|purge|erase|autoremove)(?![\w-])"
    r"(?P<args>[^;&|]*)",
    re.IGNORECASE,
)
_LOWPKG = re.compile(
    r"(?<![\w./-])(?P<mgr>dpkg|rpm)\s+(?P<verb>--install|--upgrade|--remove|--purge|--erase|-[a-zA-Z]+)"
    r"(?P<args>[^;&|]*)",
)
_PKG_WORDS = ("apt", "yum", "dnf", "zypper", "dpkg", "rpm")
_PKG_AZCM = re.compile(r"azcmagent(?:[=-](?P<ver>\d[\w.:~+-]*))?", re.IGNORECASE)
_PKG_AZCM_FILE = re.compile(r"(?:^|.*/)azcmagent[_-](?P<ver>\d[\d.]*\d)[^/]*\.(?:deb|rpm)", re.IGNORECASE)
_PKG_GA = re.compile(r"(?:walinuxagent|waagent|python3?-azure-agent)(?::\w+)?(?:[=-]\d\S*)?", re.IGNORECASE)
_PKG_PREREQ = re.compile(r"(?P<name>wget|openssl|gnupg2?|systemd)(?::\w+)?(?:=\S*)?", re.IGNORECASE)

AZCM_VERB = re.compile(
    r"""(?<![\w-])azcmagent(?:\.exe)?(?:\\?["'])?\s+(?P<verb>connect|disconnect)(?![\w-])""", re.IGNORECASE
)
_PS_CONNECT = re.compile(r"(?<![\w-])Connect-AzConnectedMachine(?![\w-])", re.IGNORECASE)
_F_NAME = _flag(r"--resource-name|-n")
_F_PS_NAME = _flag(r"-Name")
_F_GROUP = _flag(r"--resource-group|-g")
_F_PS_GROUP = _flag(r"-ResourceGroupName")
SECRET_FLAG = _flag(r"--service-principal-secret|-p|--access-token")
_F_CONFIG = _flag(r"--config")
_F_CERT = _has_flag(r"--service-principal-cert|--service-principal-cert-thumbprint")
_F_SP = _has_flag(r"--service-principal-id|-i|--service-principal-secret|-p")
_F_TOKEN = _has_flag(r"--access-token")
_F_DEVICE = _has_flag(r"--use-device-code")
_F_AZCLI = _has_flag(r"--use-azcli")
_F_FORCE_LOCAL = _has_flag(r"--force-local-only|-f")

_PATH_CHAR = r"""[^\s"'`\[\],;|&=(){}]"""
_ONB_PATH = re.compile(rf"(?<!{_PATH_CHAR}){_PATH_CHAR}*OnboardingScript[\w-]*\.(?:sh|ps1)", re.IGNORECASE)
_ONB_PREFIX = re.compile(
    r"""(?:(?:then|do|else|exec|nohup|time|env|sudo(?:\s+-\S+)*|\w+=\S*)\s+)*
    (?:
        (?:\S*/)?(?:ba|da|z|k)?sh\b(?:[\s,]+-\w+)*[\s,]+
      | (?:source|\.)\s+
      | &\s*(?:\{\s*)?(?:&\s*)?
      | start-process\s+(?:-filepath\s+)?
      | cmd(?:\.exe)?\s+/[ck]\s+
      | (?:invoke-expression|iex)\s+
    )?
    (?:["']\s*)?""",
    re.IGNORECASE | re.VERBOSE,
)
# powershell -File x / -Command "& x" / Invoke-Command -FilePath x (checked only when those words occur)
_ONB_PS_TAIL = re.compile(
    r"""\s["']?-(?:f|file|filepath|c|command)\s+(?:["']\s*)?(?:&\s*)?(?:\{\s*)?(?:&\s*)?(?:["']\s*)?$""",
    re.IGNORECASE,
)
_PREFIX_NOISE = re.compile(r"""^[\s\-\[\]"',({!]*""")

_TEST_FLAG = re.compile(
    r"""MSFT_ARC_TEST(?:\\?["'])?\s*(?:(?:[=:,]|-Value\b)\s*)?(?:\\?["']\s*)?\$?true\b""", re.IGNORECASE
)

_SYSTEMCTL = re.compile(
    r"(?<![\w-])systemctl\s+(?:-\S+\s+)*(?P<verb>stop|disable|mask|kill)\s+(?P<units>[^;&|]*)", re.IGNORECASE
)
_GA_UNIT = re.compile(r"(?<![\w-])(?:walinuxagent|waagent)(?:\.service)?(?![\w-])", re.IGNORECASE)
_SERVICE_STOP = re.compile(r"(?<![\w-])service\s+(?:walinuxagent|waagent)\s+stop\b", re.IGNORECASE)
_CHKCONFIG = re.compile(
    r"(?<![\w-])(?:chkconfig|update-rc\.d)\s+(?:walinuxagent|waagent)\s+(?:off|disable|remove)\b", re.IGNORECASE
)
_DEPROVISION = re.compile(r"(?<![\w-])waagent(?:\.exe)?\b[^;&|]{0,400}?\s-deprovision\b", re.IGNORECASE)
_RM_WAAGENT = re.compile(r"(?<![\w-])rm\s+(?:-\S+\s+)*\S*/var/lib/waagent(?![\w-])", re.IGNORECASE)
_WIN_GA = re.compile(r"WindowsAzureGuestAgent", re.IGNORECASE)
_WIN_GA_DISABLE = re.compile(
    r"Set-Service\b.{0,1000}?-StartupType\s*(?::\s*)?[\"']?Disabled\b"
    r"|\bsc(?:\.exe)?\s+config\s+[\"']?WindowsAzureGuestAgent[\"']?\s+start\s*=\s*disabled\b"
    r"|Services\\+WindowsAzureGuestAgent\b(?=.{0,400}?\bStart\b)(?=.{0,400}?(?:-Value|/d)\s+[\"']?4\b)",
    re.IGNORECASE,
)
_WIN_GA_STOP = re.compile(
    r"Stop-Service\b|Stop-Process\b|\b(?:sc(?:\.exe)?|net)\s+stop\s+[\"']?WindowsAzureGuestAgent", re.IGNORECASE
)
_WIN_GA_REMOVE = re.compile(r"\bsc(?:\.exe)?\s+delete\s+[\"']?WindowsAzureGuestAgent", re.IGNORECASE)

_IMDS = re.compile(r"169\.254\.169\.254(?!\d)")


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


Rule = tuple[str, re.Pattern[str], tuple[re.Pattern[str], ...], "re.Pattern[str] | None"]

# (tool, command head, what must follow the head, what must not follow it)
_IMDS_RULES: tuple[Rule, ...] = (
    ("ufw", _rx(r"(?<![\w-])ufw\b"), (_rx(r"\b(?:deny|reject)\b"), _rx(r"\bout\b")), _rx(r"\bdelete\b")),
    (
        "iptables",
        _rx(r"(?<![\w-])ip6?tables(?:-legacy|-nft)?\b"),
        (
            _rx(r"(?:-I|-A|--insert|--append)\s+OUTPUT\b"),
            _rx(r"(?:-d|--destination|--dst)\s+[\"']?169\.254\.169\.254"),
            _rx(r"(?:-j|--jump)\s+(?:REJECT|DROP)\b"),
        ),
        None,
    ),
    ("firewall-cmd", _rx(r"(?<![\w-])firewall-cmd\b"), (_rx(r"\b(?:reject|drop)\b"),), _rx(r"--remove-")),
    (
        "nft",
        _rx(r"(?<![\w-])nft\s+(?:-\S+\s+)*(?:add|insert)\s+rule\b|\bdaddr\s"),
        (_rx(r"\b(?:drop|reject)\b"),),
        None,
    ),
    (
        "powershell",
        _rx(r"New-NetFirewallRule\b"),
        (
            _rx(r"-RemoteAddress\s*(?::\s*)?[\"'(@]*[^-]{0,400}?169\.254\.169\.254"),
            _rx(r"-Action\s*(?::\s*)?[\"']?Block\b"),
            _rx(r"-Direction\s*(?::\s*)?[\"']?Outbound\b"),
        ),
        None,
    ),
    (
        "netsh",
        _rx(r"\bnetsh\b"),
        (_rx(r"\bdir=out\b"), _rx(r"\baction=block\b"), _rx(r"\bremoteip=\S*169\.254\.169\.254")),
        None,
    ),
    (
        "route",
        _rx(
            r"\bip\s+route\s+(?:add|replace)\s+(?:blackhole|unreachable|prohibit)\s+169\.254\.169\.254"
            r"|\broute\s+add\s+(?:-host\s+)?169\.254\.169\.254\b"
        ),
        (_rx(r"\breject\b|\bip\s+route\b"),),
        None,
    ),
)


def _clause(
    seg: str, head: re.Pattern[str], needs: tuple[re.Pattern[str], ...], unless: re.Pattern[str] | None
) -> bool:
    """Tell whether ``head`` occurs with everything in ``needs`` (and nothing in ``unless``) after it."""
    m = head.search(seg)
    if m is None:
        return False
    rest = seg[m.start() :]
    if unless is not None and unless.search(rest):
        return False
    return all(p.search(rest) for p in needs)


_SYSPREP = re.compile(r"(?<![\w-])sysprep(?:\.exe)?\b", re.IGNORECASE)
_GENERALIZE_FLAG = re.compile(r"/generalize\b", re.IGNORECASE)
_CLOUD_INIT_CLEAN = re.compile(r"(?<![\w-])cloud-init\s+(?:-\S+\s+)*clean\b", re.IGNORECASE)
_VIRT_SYSPREP = re.compile(r"(?<![\w-])virt-sysprep\b", re.IGNORECASE)

_ENC_FLAG = re.compile(r"\s-(?:e|ec|enc|encodedcommand)\s+[\"']?(?P<b64>[A-Za-z0-9+/]{16,}={0,2})", re.IGNORECASE)
_B64_PIPE = re.compile(
    r"(?<![A-Za-z0-9+/])(?P<b64>[A-Za-z0-9+/]{16,}={0,2})[\"']?\s*\|\s*base64\s+(?:-d|--decode|-D)\b"
)


# --- detectors ----------------------------------------------------------------------------------


def _value(pattern: re.Pattern[str], text: str) -> str | None:
    m = pattern.search(text)
    return unquote(m.group("val")) if m else None


def _detect_install(seg: str, low: str) -> Found:
    """Find agent downloads/installs (script, MSI, package)."""
    found: Found = []
    if "azcmagent" in low or "connectedmachine" in low:
        detail: Detail | None = None
        if not _NON_EXEC_HEAD.match(_HEAD_NOISE.sub("", seg, count=1)):
            m = _INSTALL_MSI.search(seg)
            if _INSTALL_SCRIPT.search(seg):
                detail = {"method": "script"}
                version = _value(_DESIRED_VERSION, seg)
                if version:
                    detail["version"] = version
            elif (m or _MSIEXEC_AGENT.search(seg)) and not _MSI_UNINSTALL.search(seg):
                detail = {"method": "msi"}
                version = m and (m.group("v1") or m.group("v2") or m.group("v3"))
                if version:
                    detail["version"] = version
        if detail is not None:
            alt = _value(_ALT_DOWNLOAD, seg)
            if alt:
                detail["alt_download"] = alt
            found.append(("install", detail))
    if any(word in low for word in _PKG_WORDS):
        found.extend(_detect_packages(seg))
    return found


def _package_tokens(args: str) -> list[str]:
    return [t.strip("\"'") for t in args.split() if not t.startswith("-")]


_DPKG_VERBS = {
    "-i": "install",
    "--install": "install",
    "-r": "remove",
    "-P": "remove",
    "--remove": "remove",
    "--purge": "remove",
}
_RPM_VERBS = {"--install": "install", "--upgrade": "install", "--erase": "remove"}


def _pkg_verb(mgr: str, verb: str) -> str | None:
    """Map a package-manager verb or flag to ``install``, ``remove`` or None."""
    mgr = mgr.lower()
    if mgr == "dpkg":
        return _DPKG_VERBS.get(verb)
    if mgr == "rpm":
        if verb.startswith("--") or "q" in verb:
            return _RPM_VERBS.get(verb)
        if "e" in verb:
            return "remove"
        return "install" if any(c in verb for c in "iUF") else None
    return "remove" if verb.lower() in ("remove", "rm", "purge", "erase", "autoremove") else "install"


def _detect_packages(seg: str) -> Found:
    """Find package installs of azcmagent and removals of the guest agent or prerequisites."""
    found: Found = []
    for pattern in (_PKG, _LOWPKG):
        for m in pattern.finditer(seg):
            action = _pkg_verb(m.group("mgr"), m.group("verb"))
            if action is None:
                continue
            for tok in _package_tokens(m.group("args")):
                found.extend(_package_signal(action, tok, m.group("mgr").lower()))
    return found


def _package_signal(action: str, tok: str, manager: str) -> Found:
    if action == "install":
        m = _PKG_AZCM.fullmatch(tok) or _PKG_AZCM_FILE.fullmatch(tok)
        if not m:
            return []
        detail = {"method": "package"}
        if m.group("ver"):
            detail["version"] = m.group("ver")
        return [("install", detail)]
    if _PKG_GA.fullmatch(tok):
        return [("guest-agent-disabled", {"action": "remove"})]
    m = _PKG_PREREQ.fullmatch(tok)
    if m:
        return [("remove-prereq", {"package": m.group("name").lower(), "manager": manager})]
    return []


_AUTH_FLAGS = (
    (_F_CERT, "certificate"),
    (_F_SP, "service-principal"),
    (_F_TOKEN, "access-token"),
    (_F_DEVICE, "device-code"),
    (_F_AZCLI, "azcli"),
    (_F_CONFIG, "config"),
)


def _auth(rest: str) -> str:
    """Name the ``azcmagent connect`` authentication the flags select (first match wins)."""
    return next((name for flag, name in _AUTH_FLAGS if flag.search(rest)), "interactive")


def _connect_detail(rest: str) -> Detail:
    """Describe an ``azcmagent connect`` from the flags after the verb."""
    detail: Detail = {"tool": "azcmagent", "auth": _auth(rest)}
    name = _value(_F_NAME, rest)
    if name is not None:
        detail["resource_name"] = name
    group = _value(_F_GROUP, rest)
    if group is not None:
        detail["resource_group"] = group
    m = SECRET_FLAG.search(rest)
    if m:
        detail["secret"] = "variable" if is_reference(m.group("val")) else "literal"
    config = _value(_F_CONFIG, rest)
    if config is not None:
        detail["config"] = config
    return detail


def _onboarding_script_run(seg: str) -> bool:
    """Tell whether a portal ``OnboardingScript.sh|ps1`` is executed (not just downloaded)."""
    for m in _ONB_PATH.finditer(seg):
        prefix = _PREFIX_NOISE.sub("", seg[: m.start()])
        if _ONB_PREFIX.fullmatch(prefix):
            return True
        low = prefix.lower()
        if ("powershell" in low or "pwsh" in low or "invoke-command" in low) and _ONB_PS_TAIL.search(prefix):
            return True
    return False


def _azcmagent_verbs(seg: str) -> Found:
    """Find ``azcmagent connect|disconnect``; each reads only the flags up to the next one."""
    found: Found = []
    matches = list(AZCM_VERB.finditer(seg))
    for i, m in enumerate(matches):
        rest = seg[m.end() : matches[i + 1].start() if i + 1 < len(matches) else len(seg)]
        if m.group("verb").lower() == "connect":
            found.append(("connect", _connect_detail(rest)))
        else:
            force = "true" if _F_FORCE_LOCAL.search(rest) else "false"
            found.append(("disconnect", {"force_local_only": force, "auth": _auth(rest)}))
    return found


def _ps_connect(seg: str) -> Found:
    """Find ``Connect-AzConnectedMachine`` (it downloads, installs and connects)."""
    m = _PS_CONNECT.search(seg)
    if m is None:
        return []
    detail: Detail = {"tool": "powershell"}
    name = _value(_F_PS_NAME, seg[m.end() :])
    if name is not None:
        detail["resource_name"] = name
    group = _value(_F_PS_GROUP, seg[m.end() :])
    if group is not None:
        detail["resource_group"] = group
    return [("install", {"method": "powershell-module"}), ("connect", detail)]


def _detect_connect(seg: str, low: str) -> Found:
    """Find ``azcmagent connect|disconnect``, ``Connect-AzConnectedMachine``, onboarding scripts."""
    found: Found = []
    if "azcmagent" in low:
        found.extend(_azcmagent_verbs(seg))
    if "connectedmachine" in low:
        found.extend(_ps_connect(seg))
    if "onboardingscript" in low and _onboarding_script_run(seg):
        found.append(("connect", {"tool": "onboarding-script"}))
    return found


def _detect_test_flag(seg: str, low: str) -> Found:
    if "msft_arc_test" in low and _TEST_FLAG.search(seg):
        return [("test-flag", {})]
    return []


def _detect_guest_agent(seg: str, low: str) -> Found:
    """Find the Azure guest agent being stopped, disabled, removed or deprovisioned."""
    actions: list[str] = []
    if "waagent" in low or "walinuxagent" in low:
        for m in _SYSTEMCTL.finditer(seg):
            if _GA_UNIT.search(m.group("units")):
                verb = m.group("verb").lower()
                actions.append("stop" if verb in ("stop", "kill") else "disable")
        if _SERVICE_STOP.search(seg):
            actions.append("stop")
        if _CHKCONFIG.search(seg):
            actions.append("disable")
        if _DEPROVISION.search(seg):
            actions.append("deprovision")
        if _RM_WAAGENT.search(seg):
            actions.append("remove")
    if "windowsazureguestagent" in low and _WIN_GA.search(seg):
        if _WIN_GA_STOP.search(seg):
            actions.append("stop")
        if _WIN_GA_DISABLE.search(seg):
            actions.append("disable")
        if _WIN_GA_REMOVE.search(seg):
            actions.append("remove")
    return [("guest-agent-disabled", {"action": a}) for a in actions]


def _detect_imds(seg: str, low: str) -> Found:
    """Find a firewall rule (or blackhole route) that blocks outbound access to Azure IMDS."""
    if "169.254.169.254" not in low:
        return []
    for tool, head, needs, unless in _IMDS_RULES:
        if _clause(seg, head, (*needs, _IMDS), unless):
            return [("imds-blocked", {"tool": tool})]
    return []


def _detect_generalize(seg: str, low: str) -> Found:
    found: Found = []
    if "sysprep" in low:
        if _clause(seg, _SYSPREP, (_GENERALIZE_FLAG,), None):
            found.append(("generalize", {"tool": "sysprep"}))
        if _VIRT_SYSPREP.search(seg):
            found.append(("generalize", {"tool": "virt-sysprep"}))
    if "waagent" in low and _DEPROVISION.search(seg):
        found.append(("generalize", {"tool": "waagent"}))
    if "cloud-init" in low and _CLOUD_INIT_CLEAN.search(seg):
        found.append(("generalize", {"tool": "cloud-init"}))
    return found


_DETECTORS = (
    _detect_install,
    _detect_connect,
    _detect_test_flag,
    _detect_guest_agent,
    _detect_imds,
    _detect_generalize,
)


def _detect(seg: str) -> Found:
    """Run every detector over one simple command."""
    seg = seg[:MAX_SEGMENT]
    mode = _mode(seg)
    if mode == "skip":
        return []
    low = seg.lower()
    if mode == "env":
        return _detect_test_flag(seg, low)
    found: Found = []
    for detector in _DETECTORS:
        found.extend(detector(seg, low))
    return found


# --- base64 -------------------------------------------------------------------------------------

_B64_PREFIX = re.compile(r"[A-Za-z0-9+/=\s]*")
_B64_COMPACT = re.compile(r"[A-Za-z0-9+/]+={0,2}")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f\ufffd]")


def _bytes_to_text(raw: bytes) -> str | None:
    """Decode UTF-8 or UTF-16LE bytes (gzip allowed), else None."""
    if raw[:2] == b"\x1f\x8b":
        try:
            inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
            raw = inflater.decompress(raw, MAX_DECODED)
        except zlib.error:
            return None
    try:
        if raw[:2] == b"\xff\xfe":
            return raw[2:].decode("utf-16-le")
        if len(raw) >= 4 and raw[1] == 0 and raw[3] == 0:
            return raw.decode("utf-16-le")
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None


def _looks_like_script(text: str) -> bool:
    """Tell whether decoded text is printable, has letters, and has more than one word or line."""
    if not text.strip() or _CONTROL.search(text):
        return False
    return ("\n" in text or " " in text.strip()) and any(c.isalpha() for c in text[:256])


def decode_base64_script(text: str) -> str | None:
    """Return the script that ``text`` encodes in base64 (UTF-8 or UTF-16LE, optionally gzip), else None."""
    s = text.strip()
    if len(s) < 8 or not _B64_PREFIX.fullmatch(s[:128]):
        return None
    compact = "".join(s.split())
    if len(compact) % 4 or not _B64_COMPACT.fullmatch(compact):
        return None
    try:
        raw = base64.b64decode(compact, validate=True)
    except (binascii.Error, ValueError):
        return None
    decoded = _bytes_to_text(raw)
    if decoded is None or not _looks_like_script(decoded):
        return None
    return decoded


def _encoded_payloads(seg: str, low: str) -> Iterator[str]:
    """Yield scripts carried as base64 in ``powershell -EncodedCommand`` or ``echo … | base64 -d``."""
    blobs: list[str] = []
    if "powershell" in low or "pwsh" in low:
        blobs.extend(m.group("b64") for m in _ENC_FLAG.finditer(seg))
    if "base64" in low:
        blobs.extend(m.group("b64") for m in _B64_PIPE.finditer(seg))
    for blob in blobs:
        decoded = decode_base64_script(blob)
        if decoded is not None:
            yield decoded


# --- scanning -----------------------------------------------------------------------------------


def _logical(lines: list[str], i: int, floor: int) -> tuple[int, int]:
    """Return the first and last physical line of the logical line holding line ``i``."""
    first = i
    while first > floor and _continues(lines[first - 1]):
        first -= 1
    last = i
    while last < len(lines) - 1 and _continues(lines[last]):
        last += 1
    return first, last


def _line_signals(line: str, offset: int, index: int, depth: int) -> list[Signal]:
    """Return the signals of one logical line (deduplicated, in detector order)."""
    out: list[Signal] = []
    seen: set[tuple[str, tuple[tuple[str, str], ...]]] = set()
    shown: list[str] = []  # the masked line, computed once when first needed

    def add(kind: str, detail: Detail, text: str) -> None:
        masked = {k: mask_secrets(v) for k, v in detail.items()}
        key = (kind, tuple(sorted(masked.items())))
        if key not in seen:
            seen.add(key)
            out.append(Signal(kind, offset, index, text, masked))

    for seg in _segments(line):
        low = seg.lower()
        if depth < MAX_DECODE_DEPTH:
            for inner in _encoded_payloads(seg, low):
                for sig in _scan(inner, depth + 1):
                    add(sig.kind, {**sig.detail, "encoded": "base64"}, sig.text)
        if _has_anchor(seg):
            for kind, detail in _detect(seg):
                if not shown:
                    shown.append(clip(mask_secrets(line)))
                add(kind, detail, shown[0])
    return out


def _has_anchor(text: str) -> bool:
    low = text.lower()
    if len(low) == len(text):
        return _ANCHOR_LOWER.search(low) is not None
    return _ANCHOR_ANYCASE.search(text) is not None


def _scan(text: str, depth: int) -> list[Signal]:
    if not text:
        return []
    hay = text.lower()
    anchor = _ANCHOR_LOWER
    if len(hay) != len(text):  # rare: lower-casing changed the length, offsets would drift
        hay, anchor = text, _ANCHOR_ANYCASE
    if anchor.search(hay) is None:
        return []
    if "<#" in text:
        text = _blank_spans(text, [m.span() for m in _BLOCK_COMMENT.finditer(text)])
    lines = text.split("\n")
    starts = [0, *accumulate(len(line) + 1 for line in lines)]
    out: list[Signal] = []
    floor = 0
    pos = 0
    while (m := anchor.search(hay, pos)) is not None:
        first, last = _logical(lines, bisect_right(starts, m.start()) - 1, floor)
        if not _COMMENT_LINE.match(lines[first]):
            pieces = (_piece(lines[k], k < last) for k in range(first, last + 1))
            joined = " ".join(p for p in pieces if p)[:MAX_LOGICAL_LINE]
            out.extend(_line_signals(joined, starts[first], first, depth))
        floor = last + 1
        if floor >= len(lines):
            break
        pos = starts[floor]
    return out


def command_signals(text: str) -> list[Signal]:
    """The signals of the commands in ``text``, in text order (``arclint.model.signals.scan`` adds the rest)."""
    return _scan(text, 0)


def has_anchor(text: str) -> bool:
    """Tell whether ``text`` holds any word the scanner looks for (a cheap pre-check)."""
    return _has_anchor(text)


def logical_lines(text: str) -> Iterator[tuple[int, str]]:
    """Yield (offset of the first physical line, joined text) of each non-comment logical line."""
    lines = text.split("\n")
    starts = [0, *accumulate(len(line) + 1 for line in lines)]
    i = 0
    while i < len(lines):
        first, last = _logical(lines, i, i)
        if not _COMMENT_LINE.match(lines[first]):
            pieces = (_piece(lines[k], k < last) for k in range(first, last + 1))
            yield starts[first], " ".join(p for p in pieces if p)[:MAX_LOGICAL_LINE]
        i = last + 1


def commands(line: str) -> list[str]:
    """The simple commands of a logical line (split on ``;``/``&&``/``||``, wrappers unwrapped)."""
    return [seg[:MAX_SEGMENT] for seg in _segments(line)]


# --- hardening steps ----------------------------------------------------------------------------

# A CIS Benchmark hardening step: the benchmark named in a command, a step or script name, a header or
# comment ("CIS Benchmark", "CIS hardening", "CIS Level 1"), an ansible-lockdown role (RHEL8-CIS,
# UBUNTU22-CIS, Windows-2022-CIS, rhel9_cis). Comments count: a script's header says what it applies.
_CIS = re.compile(
    r"(?<![a-z0-9])(?:cis[-_ ]?(?:benchmarks?|hardening|hardened|harden|level[-_ ]?[12])(?![a-z])"
    r"|cis[-_](?:l[12])(?![a-z0-9])"
    # "CIS Microsoft Windows Server 2022 Benchmark", "CIS Ubuntu Linux 22.04 LTS Benchmark"
    r"|cis(?: [\w.()/-]+){1,8}? benchmark"
    r"|center[-_ ]for[-_ ]internet[-_ ]security"
    r"|ansible-lockdown"
    r"|[a-z]+[-_]?\d+[-_]cis(?![a-z0-9]))",
    re.IGNORECASE,
)


def hardening(text: str) -> list[Signal]:
    """CIS Benchmark hardening steps in ``text`` (one signal per line), comments included."""
    out: list[Signal] = []
    index, counted = 0, 0  # line index of offset ``counted``
    for m in _CIS.finditer(text, 0, MAX_DECODED):
        start = text.rfind("\n", 0, m.start()) + 1
        if out and start == out[-1].offset:
            continue
        index += text.count("\n", counted, start)
        counted = start
        end = text.find("\n", m.end())
        line = text[start : end if end >= 0 else len(text)].strip()
        out.append(Signal("harden", start, index, clip(mask_secrets(line)), {"benchmark": "cis", "step": m.group(0)}))
        if len(out) >= MAX_HARDENING:
            break
    return out
