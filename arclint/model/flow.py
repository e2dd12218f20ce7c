"""Written is not run: follow the files scripts write until something runs or registers them.

A connect command written to a file has not connected anything yet. This module finds writes of script
content to paths - PowerShell here-strings and ``Set-Content``/``Out-File``/``Add-Content``/``New-Item
-Value``/``[IO.File]::WriteAllText``, shell heredocs and ``echo``/``printf`` redirected to a file,
cloud-init ``write_files``, Packer ``file`` provisioners, downloads of this repository's own files - and
then what happens to each written file, by its name:

- run (``bash f``, ``sh f``, ``& f``, ``. f``, ``powershell -File f``, ``./f``, ``ExecStart=f``,
  ``systemctl start``): its signals count like the script that runs it (``now`` in a build or boot);
- registered for a later boot (a scheduled task, a ``Run``/``RunOnce`` key, ``@reboot`` cron, ``systemctl
  enable``, or written where the OS runs it at boot: ``SetupComplete.cmd``, unattend, ``rc.local``,
  cloud-init ``per-*`` folders and ``cloud.cfg.d``, cron folders, the Startup folder): ``deferred``;
- neither: its signals count for nothing.

Every followed signal carries the chain that led to it: the write line and the run or registration line.
"""

from __future__ import annotations

import itertools
import re
from bisect import bisect_right
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from arclint.core.document import Loc
from arclint.core.limits import MAX_LOGICAL_LINE, MAX_SCRIPT_CHAIN, MAX_WRITES
from arclint.core.redact import clip, mask_secrets
from arclint.core.values import Traced, Unknown
from arclint.model import scripts, signals
from arclint.model.facts import Evidence, Found, Locate, Undecided, Write
from arclint.model.target import Target

if TYPE_CHECKING:
    from arclint.evaluate.files import Reader


@dataclass(frozen=True)
class Run:
    """A command that runs (``run``) or registers for a later boot (``register``) a file, by name."""

    name: str
    kind: str
    pos: int
    evidence: Evidence


# --- where evidence points ---------------------------------------------------------------------


def _shifted(locate: Locate, start: int) -> Locate:
    """Evidence for a text held inside another from ``start`` on (an inline write)."""
    return lambda off, line: locate(start + off, line)


def _pinned(locate: Locate, pos: int) -> Locate:
    """Evidence that always points at the line at ``pos`` (a written file whose content is not in the text)."""
    return lambda off, line: locate(pos, line)


def _in_text(text: str, where: Loc) -> Locate:
    """Evidence in ``text`` itself (a downloaded file: its own lines, else ``where``)."""
    return lambda off, line: evidence_at(text, off, where, line)


def _clip(text: str) -> str:
    return clip(mask_secrets(text.strip()))


def evidence_at(text: str, offset: int, where: Loc, line: str) -> Evidence:
    """The evidence for ``line`` at ``offset`` of ``text``: its own file and line when traced."""
    origin = text.origin(offset) if isinstance(text, Traced) else None
    if origin is None:
        return Evidence(where.file, where.line, line)
    return Evidence(origin[0], origin[1], line)


def _line_at(text: str, offset: int) -> str:
    end = text.find("\n", offset)
    return text[offset : end if end >= 0 else len(text)]


# --- boot locations and registrations ----------------------------------------------------------

_BOOT_PATH = re.compile(
    r"setupcomplete\.cmd(?![\w.])|(?:^|[\\/])(?:auto)?unattend\.xml(?![\w.])|[\\/]panther[\\/]|(?:^|/)etc/(?:rc\.d/)?rc\.local(?![\w.])"
    r"|/var/lib/cloud/scripts/per-(?:instance|boot|once)/|/etc/cloud/cloud\.cfg\.d/|/etc/cron\.d/|/var/spool/cron/"
    r"|[\\/]start menu[\\/]programs[\\/]startup[\\/]|[\\/]grouppolicy[\\/]machine[\\/]scripts[\\/]startup[\\/]",
    re.IGNORECASE,
)
_REGISTER = re.compile(
    r"New-ScheduledTaskAction|Register-Scheduled(?:Task|Job)|\bschtasks(?:\.exe)?\b[^\n]*?/create"
    r"|\\CurrentVersion\\Run(?:Once)?(?![\w])|@reboot\b",
    re.IGNORECASE,
)
_PLACE = re.compile(r"(?<![\w-])(?:mv|cp|install|copy|move|xcopy|robocopy|copy-item|move-item|cpi|mi)\s", re.IGNORECASE)
_SYSTEMCTL = re.compile(
    r"(?<![\w-])systemctl\s+(?:-{1,2}[\w-]+\s+)*(?P<verb>enable|reenable|start|restart)\b(?P<args>[^;&|]*)",
    re.IGNORECASE,
)
_EXEC_PREFIX = re.compile(r"<[^>\s]+>|^\s*Exec(?:Start(?:Pre|Post)?|Reload)?\s*=\s*[-@+!:]*", re.IGNORECASE)
_RUNNERS = frozenset(
    {
        "sudo",
        "&",
        ".",
        "call",
        "source",
        "exec",
        "nohup",
        "then",
        "do",
        "else",
        "time",
        "env",
        "start",
        "start-process",
        "saps",
        "bash",
        "sh",
        "dash",
        "zsh",
        "ksh",
        "powershell",
        "pwsh",
        "cmd",
        "python",
        "python3",
        "perl",
        "ruby",
        "node",
        "cscript",
        "wscript",
        "-",
        "[",
        "(",
    }
)
_TRIM = "\"'`()[],;{}"
# signals that count even in a file only written: an environment file written is the setting made, a secret
# written to a file is committed all the same
_COUNTS_WHEN_WRITTEN = frozenset({"test-flag", "secret"})
# tools that read a file they are given: applying it is running it (a security template, an azcmagent config)
_APPLIES = re.compile(
    r"""(?:\bsecedit(?:\.exe)?\b[^\n]*?/cfg|\bazcmagent(?:\.exe)?\b[^\n]*?--config)(?:\s*=\s*|\s+)(?P<path>"[^"\n]+"|'[^'\n]+'|[^\s"';|&]+)""",
    re.IGNORECASE,
)


def _file_name(token: str) -> str:
    return re.split(r"[\\/]", token.strip(_TRIM))[-1].lower()


def _runs_file(command: str, name: str) -> bool:
    """Whether a simple command runs the file ``name``: as the command, or with an interpreter before it."""
    tokens = _EXEC_PREFIX.sub(" ", command).split()
    value_allowed = False
    for token in tokens:
        bare = token.strip(_TRIM)
        if _file_name(token) == name:
            return True
        word = _file_name(bare).removesuffix(".exe")
        if bare.startswith(("-", "/")) and len(bare) > 1 and not bare.startswith("//"):
            value_allowed = True  # an option: its value may follow
        elif word in _RUNNERS or "=" in bare or not bare or value_allowed:
            value_allowed = False
        else:
            return False
    return False


def _runs(text: str, names: set[str], where: Loc) -> list[Run]:
    """Runs and registrations of the named files in ``text``."""
    low = text.lower()
    if not any(n in low for n in names):
        return []
    out: list[Run] = []
    for offset, line in scripts.logical_lines(text):
        lowline = line.lower()
        here = [n for n in names if n in lowline or _unit(n) in lowline]
        if not here:
            continue
        ev = evidence_at(text, offset, where, _clip(line))
        register = _REGISTER.search(line) is not None or (
            _PLACE.search(line) is not None and _BOOT_PATH.search(line) is not None
        )
        for name in here:
            kind = _systemctl(line, name)
            if kind is None and name in lowline:
                if register:
                    kind = "register"
                elif any(_runs_file(c, name) for c in scripts.commands(line)) or _applies(line, name):
                    kind = "run"
            if kind is not None:
                out.append(Run(name, kind, offset, ev))
    return out


def _applies(line: str, name: str) -> bool:
    """Whether ``line`` applies the file ``name``: ``secedit /configure /cfg f``, ``azcmagent connect --config f``."""
    return any(_file_name(m.group("path")) == name for m in _APPLIES.finditer(line))


def _unit(name: str) -> str:
    return name.removesuffix(".service")


def _systemctl(line: str, name: str) -> str | None:
    """``systemctl enable u`` registers unit file ``u.service``; ``start`` (or ``enable --now``) runs it."""
    if not name.endswith(".service"):
        return None
    for m in _SYSTEMCTL.finditer(line):
        args = m.group("args").split()
        units = {a.lower() if "." in a else a.lower() + ".service" for a in args if not a.startswith("-")}
        if name in units:
            now = m.group("verb").lower() in ("start", "restart") or "--now" in args
            return "run" if now else "register"
    return None


# --- writes ------------------------------------------------------------------------------------

_WRITE_WORDS = (
    "@'",
    '@"',
    "<<",
    ">",
    "set-content",
    "add-content",
    "out-file",
    "new-item",
    "writealltext",
    "write_files",
    "tee",
)
_PATH = r"""(?P<path>"[^"\n]+"|'[^'\n]+'|[^\s"'|;&<>()]+)"""
_HERE_VAR = re.compile(r"\$(?P<var>[\w:]+)\s*=\s*$")
_PS_WRITE = re.compile(r"(?:Set-Content|Add-Content|Out-File|New-Item)\b(?P<args>[^|;\n]*)", re.IGNORECASE)
_PS_PATH_PARAMS = frozenset({"-path", "-filepath", "-literalpath"})
_PS_VALUE_PARAMS = frozenset(
    {"-value", "-encoding", "-itemtype", "-type", "-inputobject", "-width", "-stream", "-delimiter"}
)
_PS_TOKEN = re.compile(r""""(?:[^"`]|`.)*"|'[^']*'|[^\s"']+""")
_WRITE_ALL = re.compile(rf"WriteAll(?:Text|Lines)\s*\(\s*{_PATH}\s*,", re.IGNORECASE)
_HEREDOC = re.compile(r"<<-?\s*(?P<q>['\"]?)(?P<tag>[A-Za-z_][\w.-]*)(?P=q)")
_TOKEN_RX = r"""(?:"(?:[^"\\]|\\.)*"|'[^']*'|[^>|'"\s]+)"""
_ECHO_WRITE = re.compile(
    rf"""^\s*(?:sudo\s+)?(?:echo|printf)(?:\s+-[neE]+)*\s+(?P<v>{_TOKEN_RX}(?:\s+{_TOKEN_RX})*)\s*(?:>>?|\|\s*(?:sudo\s+)?tee\b)""",
    re.IGNORECASE,
)
_PS_STRING = r"""(?P<v>"(?:[^"`]|`.)*"|'[^']*')"""
_VALUE_WRITE = re.compile(rf"-Value\s+{_PS_STRING}", re.IGNORECASE)
_PIPED_WRITE = re.compile(rf"^\s*{_PS_STRING}\s*\|\s*(?:Out-File|Set-Content|Add-Content)\b", re.IGNORECASE)
_WRITE_ALL_VALUE = re.compile(rf"WriteAll(?:Text|Lines)\s*\([^,()]+,\s*{_PS_STRING}", re.IGNORECASE)
_NOT_A_FILE = ("/dev/null", "$null", "nul", "/dev/stdout", "/dev/stderr")


def _redirect_target(text: str) -> str | None:
    """The file a command writes to with ``>``, ``>>``, ``tee`` or a PowerShell write cmdlet."""
    for m in re.finditer(rf"(?<![\d&>])>>?\s*{_PATH}", text):
        path = _unquote(m.group("path"))
        if path.lower() not in _NOT_A_FILE and not path.startswith("&"):
            return path
    for m in re.finditer(rf"\btee\s+(?:-a\s+|--append\s+)?{_PATH}", text, re.IGNORECASE):
        path = _unquote(m.group("path"))
        if path.lower() not in _NOT_A_FILE:
            return path
    ps = _PS_WRITE.search(text)
    if ps:
        return _ps_target(ps.group("args"))
    whole = _WRITE_ALL.search(text)
    return _unquote(whole.group("path")) if whole else None


def _ps_target(args: str) -> str | None:
    """The file a PowerShell write cmdlet names: ``-Path``/``-FilePath`` (and ``-Name``), else the first positional."""
    tokens = _PS_TOKEN.findall(args)
    path = name = positional = None
    i = 0
    while i < len(tokens):
        low = tokens[i].lower()
        if low in _PS_PATH_PARAMS and i + 1 < len(tokens):
            path, i = tokens[i + 1], i + 1
        elif low == "-name" and i + 1 < len(tokens):
            name, i = tokens[i + 1], i + 1
        elif low.startswith("-"):
            i += 1 if low in _PS_VALUE_PARAMS else 0
        elif positional is None:
            positional = tokens[i]
        i += 1
    found = path or positional
    if found is None:
        return None
    return _unquote(found) + ("\\" + _unquote(name) if name else "")


def _unquote(s: str) -> str:
    return s[1:-1] if len(s) >= 2 and s[0] == s[-1] and s[0] in "\"'" else s


@dataclass(frozen=True)
class _Written:
    """A write found in a text: the path, the content span (or separate content) and the write line."""

    path: str
    start: int
    end: int
    pos: int  # offset of the write line
    content: str | None = None  # content that is not a span of the text (a one-line write, decoded base64)


def _writes(text: str) -> list[_Written]:
    """Every write of content to a file in ``text``, in order."""
    low = text.lower()
    if not any(w in low for w in _WRITE_WORDS):
        return []
    found: list[_Written] = []
    if "@'" in text or '@"' in text:
        found.extend(_here_strings(text))
    if "<<" in text:
        found.extend(_heredocs(text))
    if "write_files" in low:
        found.extend(_write_files(text))
    found.extend(_line_writes(text, _Spans([(f.start, f.end) for f in found])))
    return sorted(found, key=lambda f: f.pos)


_HERE_OPEN = re.compile(r"""@(['"])[ \t]*\r?\n""")
_HERE_CLOSE = {q: re.compile(rf"\r?\n[ \t]*{q}@(?P<after>[^\n]*)") for q in "'\""}
_VAR_REF = re.compile(r"\$([\w:]+)")


def _here_strings(text: str) -> list[_Written]:
    """Here-strings written to a file: piped on their closing line, or stored in a variable a later write uses."""
    out: list[_Written] = []
    uses: dict[str, list[tuple[int, str]]] | None = None  # variable -> (offset, target) of later writes using it
    closed = {"'": True, '"': True}
    pos = 0
    while (m := _HERE_OPEN.search(text, pos)) is not None and len(out) < MAX_WRITES:
        quote = m.group(1)
        pos = m.end()
        if not closed[quote]:
            continue
        close = _HERE_CLOSE[quote].search(text, m.end() - 1)
        if close is None:
            closed[quote] = False  # no later opener of this quote can be closed either
            continue
        start, end = m.end(), close.start()
        pos = close.end()
        target = _redirect_target(close.group("after"))
        if target is not None:
            out.append(_Written(target, start, end, text.rfind("\n", 0, close.end("after")) + 1))
            continue
        line_start = text.rfind("\n", 0, m.start()) + 1
        var = _HERE_VAR.search(text[line_start : m.start()])
        if var is None:
            continue
        if uses is None:
            uses = _variable_writes(text)
        later = next(((off, path) for off, path in uses.get(var.group("var").lower(), ()) if off > close.end()), None)
        if later is not None:
            out.append(_Written(later[1], start, end, later[0]))
    return out


def _variable_writes(text: str) -> dict[str, list[tuple[int, str]]]:
    """For each ``$variable``: the (offset, file) of the write commands that use it, in order."""
    uses: dict[str, list[tuple[int, str]]] = {}
    for offset, line in scripts.logical_lines(text):
        if "$" not in line:
            continue
        target = _redirect_target(line)
        if target is None:
            continue
        for name in dict.fromkeys(v.lower() for v in _VAR_REF.findall(line)):
            uses.setdefault(name, []).append((offset, target))
    return uses


def _heredocs(text: str) -> list[_Written]:
    out: list[_Written] = []
    pos = 0
    while (i := text.find("<<", pos)) >= 0:
        pos = i + 2
        m = _HEREDOC.match(text, i)
        if m is None or text.startswith("<<<", i):
            continue
        line_start = text.rfind("\n", 0, i) + 1
        line_end = text.find("\n", i)
        if line_end < 0:
            break
        opener = text[line_start:line_end]
        closer = re.compile(rf"^[ \t]*{re.escape(m.group('tag'))}[ \t]*$", re.MULTILINE)
        close = closer.search(text, line_end + 1)
        end = close.start() if close else len(text)
        pos = close.end() if close else len(text)
        target = _redirect_target(opener[: i - line_start] + " " + opener[m.end() - line_start :])
        if target is not None:
            out.append(_Written(target, line_end + 1, max(line_end + 1, end - 1), line_start))
    return out


_WF_ITEM = re.compile(r"^(?P<indent>[ \t]*)-\s+(?P<rest>.*)$")
_WF_KEY = re.compile(r"^(?P<key>path|content|encoding)\s*:\s*(?P<value>.*)$")


def _write_files(text: str) -> list[_Written]:
    """cloud-init ``write_files`` entries: ``path`` and ``content`` (block, quoted or base64)."""
    out: list[_Written] = []
    lines = text.split("\n")
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line) + 1)
    i = next((k for k, line in enumerate(lines) if line.strip().startswith("write_files:")), None)
    if i is None:
        return out
    base_indent = len(lines[i]) - len(lines[i].lstrip())
    entry: dict[str, object] = {}
    k = i + 1

    def flush() -> None:
        if "path" in entry and "content" in entry:
            path = _unquote(str(entry["path"]).strip())
            start, end, inline, _ = cast("tuple[int, int, str | None, object]", entry["content"])
            at = entry.get("at", start)
            pos = at if isinstance(at, int) else start
            content = inline
            if str(entry.get("encoding", "")).strip().lower() in ("b64", "base64", "gz+b64", "gzip+base64"):
                content = scripts.decode_base64_script(inline if inline is not None else text[start:end]) or ""
            out.append(_Written(path, start, end, pos, content))
        entry.clear()

    while k < len(lines):
        line = lines[k]
        stripped = line.strip()
        indent = len(line) - len(line.lstrip())
        if stripped and indent <= base_indent and not stripped.startswith("-"):
            break
        item = _WF_ITEM.match(line)
        if item:
            flush()
            entry["at"] = offsets[k]
            stripped = item.group("rest")
            indent = len(item.group("indent")) + 2
        m = _WF_KEY.match(stripped)
        if m and stripped:
            key, value = m.group("key"), m.group("value").strip()
            if key == "content" and re.fullmatch(r"[|>][-+]?\d*", value):
                j = k + 1
                while j < len(lines) and (not lines[j].strip() or len(lines[j]) - len(lines[j].lstrip()) > indent):
                    j += 1
                entry["content"] = (offsets[k + 1], max(offsets[k + 1], offsets[j] - 1), None, offsets[k])
                k = j
                continue
            if key == "content":
                entry["content"] = (offsets[k], offsets[k], _unquote(value), offsets[k])
            else:
                entry[key] = value
        k += 1
    flush()
    return out


class _Spans:
    """Sorted, non-overlapping-enough spans of written content: is an offset inside one? (binary search)"""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        self.spans = sorted(spans)
        self.starts = [a for a, _ in self.spans]
        self.reach = list(itertools.accumulate((b for _, b in self.spans), max))

    def __contains__(self, offset: int) -> bool:
        i = bisect_right(self.starts, offset) - 1
        return i >= 0 and offset < self.reach[i]


def _line_write(line: str) -> tuple[str, str] | None:
    """(value, file) of a one-line write: ``echo|printf … >[>] f`` (or ``| tee f``), ``Set-Content f -Value '…'``,
    ``'…' | Out-File f``, ``[IO.File]::WriteAllText(f, '…')``."""
    low = line.lower()
    m = _ECHO_WRITE.match(line)
    if m is not None:
        path = _redirect_target(line[m.end("v") :])
    elif "-value" in low and any(c in low for c in ("set-content", "add-content", "new-item")):
        m = _VALUE_WRITE.search(line)
        path = _redirect_target(line)
    elif line.lstrip()[:1] in ("'", '"'):
        m = _PIPED_WRITE.match(line)
        path = _redirect_target(line[m.end("v") :]) if m else None
    elif "writeall" in low:
        m = _WRITE_ALL_VALUE.search(line)
        path = _redirect_target(line)
    else:
        return None
    return (m.group("v"), path) if m is not None and path is not None else None


def _line_writes(text: str, spans: _Spans) -> list[_Written]:
    """One-line writes of something the scanner looks for, or to a boot location (``echo 'azcmagent …' > f``)."""
    out: list[_Written] = []
    for offset, line in scripts.logical_lines(text):
        if offset in spans or not (scripts.has_anchor(line) or _BOOT_PATH.search(line)):
            continue
        found = _line_write(line)
        if found is None:
            continue
        value, path = found
        content = " ".join(_unquote(v) for v in re.findall(r""""(?:[^"\\]|\\.)*"|'[^']*'|\S+""", value))
        out.append(_Written(path, offset, offset, offset, content.replace("\\n", "\n")))
    return out


# --- downloads of this repository's files --------------------------------------------------------

_DOWNLOAD = re.compile(r"invoke-webrequest|\biwr\b|\bcurl\b|\bwget\b|downloadfile|start-bitstransfer", re.IGNORECASE)
_URL_EXPR = re.compile(
    r"""\(\s*(?:\$\w+|"[^"]*"|'[^']*')(?:\s*\+\s*(?:\$\w+|"[^"]*"|'[^']*'))+\s*\)|["']?(?:https?://|\$\{?\w+\}?/)[^\s"',)]+["']?|\$\{?\w+\}?"""
)
_OUT = re.compile(rf"(?:-OutFile|-Destination|--output|-o)\s+{_PATH}", re.IGNORECASE)
_VAR_ASSIGN = re.compile(
    r"""^\s*(?:\$|export\s+)?(?P<name>\w+)\s*=\s*(?P<q>["']?)(?P<value>https?://[^"'\s$]+)(?P=q)\s*$""", re.MULTILINE
)


def _expand(expr: str, variables: dict[str, str]) -> str | None:
    """A URL expression with known variables filled in (``$base + "x.ps1"``, ``"$base/x.ps1"``), else None."""
    out = re.sub(r"\$\{?(\w+)\}?", lambda m: variables.get(m.group(1).lower(), m.group(0)), expr)
    out = re.sub(r"""["'()\s+]""", "", out)
    return out if out.startswith(("http://", "https://")) and "$" not in out else None


def _downloads(text: str, reader: Reader) -> list[tuple[str, str, int, object, str]]:
    """(path, url, offset, content, note) of each download of one of this repository's files."""
    low = text.lower()
    if "github" not in low or not _DOWNLOAD.search(low):
        return []
    variables = {m.group("name").lower(): m.group("value") for m in _VAR_ASSIGN.finditer(text)}
    out: list[tuple[str, str, int, object, str]] = []
    for offset, line in scripts.logical_lines(text):
        if not _DOWNLOAD.search(line):
            continue
        for url_m in _URL_EXPR.finditer(line):
            url = _expand(url_m.group(), variables)
            if url is None:
                continue
            fetched = reader.fetch_url(url)
            if fetched is None:
                continue
            content, note = fetched
            rest = line[url_m.end() :] + " " + line[: url_m.start()]
            dest = _OUT.search(rest) or re.search(rf"DownloadFile\s*\([^,]+,\s*{_PATH}", line, re.IGNORECASE)
            path = _unquote(dest.group("path")) if dest else url.split("?", 1)[0].rsplit("/", 1)[-1]
            out.append((path, url, offset, content, note))
            break
    return out


def _distinct(chain: tuple[Evidence, ...]) -> tuple[Evidence, ...]:
    """The chain with each file and line once (a one-line write is also what registers it)."""
    seen: dict[tuple[str, int], Evidence] = {}
    for e in chain:
        seen.setdefault((e.file, e.line), e)
    return tuple(seen.values())


# --- the onboarding identity ---------------------------------------------------------------------

_CONNECT_VERB = re.compile(r"""azcmagent(?:\.exe)?\\?["']?\s+connect(?![\w-])""", re.IGNORECASE)
_SP_ID = re.compile(
    r"""(?<![\w-])(?:--service-principal-id|-i)(?:\s*=\s*|\s+)\\?["']?(?P<val>\$\{\?\}|\$(?:env:)?\{?(?P<name>[A-Za-z_]\w*)\}?)""",
    re.IGNORECASE,
)


def identity_refs(text: str, signal: scripts.Signal) -> frozenset[str]:
    """The Terraform resources a connect's ``--service-principal-id`` value is rendered from.

    The value is a rendered reference (``${?}`` on the connect's line) or a shell/PowerShell variable
    whose last assignment before the connect is one (``APP_ID="${?}"``, ``export APP_ID=...``,
    ``$appId = "..."``, ``$env:APP_ID = "..."``). Anything else (a literal, a variable from elsewhere)
    gives no reference.
    """
    if not isinstance(text, Traced) or not text.spans:
        return frozenset()
    end = _logical_end(text, signal.offset)
    verb = _CONNECT_VERB.search(text, signal.offset, end)
    m = _SP_ID.search(text, verb.end(), end) if verb else None
    if m is None:
        return frozenset()
    if m.group("name") is None:
        return text.refs_in(m.start("val"), m.end("val"))
    name = re.escape(m.group("name"))
    assign = re.compile(rf"""(?im)^[ \t]*(?:export[ \t]+|\$(?:env:)?)?{name}[ \t]*=[ \t]*["']?\$\{{\?\}}""")
    last = None
    for match in assign.finditer(text, 0, signal.offset):
        last = match
    return text.refs_in(last.start(), last.end()) if last else frozenset()


def _logical_end(text: str, offset: int) -> int:
    """Where the logical line starting at ``offset`` ends (lines continued by a trailing backslash or backtick
    followed)."""
    limit = min(len(text), offset + MAX_LOGICAL_LINE)
    pos = text.find("\n", offset, limit)
    while pos > 0 and text[pos - 1] in "\\`":
        pos = text.find("\n", pos + 1, limit)
    return limit if pos < 0 else pos


# --- following ---------------------------------------------------------------------------------


class Flow:
    """The files a target's scripts have written, and the following of each carrier text in order."""

    def __init__(self, target: Target, reader: Reader | None) -> None:
        self.target = target
        self.reader = reader

    @property
    def pending(self) -> list[Write]:
        return self.target.onboarding.pending

    def text(self, text: str, where: Loc, when: str = "now", chain: tuple[Evidence, ...] = (), depth: int = 0) -> None:
        """Follow one carrier text (a whole script or a value) delivered to the target."""
        self.follow(text, lambda off, line: evidence_at(text, off, where, line), where, when, chain, depth)

    def follow(self, text: str, locate: Locate, where: Loc, when: str, chain: tuple[Evidence, ...], depth: int) -> None:
        """Add the signals of ``text`` (not those in files it only writes); follow the files it runs."""
        origin = object()  # this text, by identity: writes remember it (ids of their own kept alive)
        writes = _writes(text) if depth < MAX_SCRIPT_CHAIN else []
        held_spans = _Spans([(w.start, w.end) for w in writes if w.content is None])
        held_lines = {w.pos for w in writes if w.content is not None}
        for signal in signals.scan(text):
            inside = signal.offset in held_spans or signal.offset in held_lines
            if inside and signal.kind not in _COUNTS_WHEN_WRITTEN:
                continue
            refs = identity_refs(text, signal) if signal.kind == "connect" else frozenset()
            self.target.onboarding.found.append(Found(signal, locate(signal.offset, signal.text), when, chain, refs))
        for w in writes:
            content: object = w.content if w.content is not None else text[w.start : w.end]
            inner = _shifted(locate, w.start) if w.content is None else _pinned(locate, w.pos)
            self._add(
                w.path, content, inner, locate(w.pos, _clip(_line_at(text, w.pos))), chain, when, origin, w.pos, depth
            )
        if self.reader is not None and depth < MAX_SCRIPT_CHAIN:
            for path, url, offset, fetched, note in _downloads(text, self.reader):
                write_ev = locate(offset, _clip(_line_at(text, offset)) + f" [{note}]")
                file_locate = _in_text(fetched, where) if isinstance(fetched, str) else locate
                self._add(path, fetched, file_locate, write_ev, chain, when, origin, offset, depth, f"download {url}")
        self._resolve(text, where, locate, origin, (when, chain), depth, held_spans, held_lines)

    def _add(
        self,
        path: str,
        content: object,
        locate: Locate,
        evidence: Evidence,
        chain: tuple[Evidence, ...],
        when: str,
        origin: object,
        pos: int,
        depth: int,
        subject: str = "",
    ) -> None:
        name = re.split(r"[\\/]", path)[-1].lower()
        if not name or len(self.pending) >= MAX_WRITES:
            return
        write = Write(name, path, content, locate, evidence, chain, when, origin, pos, subject or f"file {path}")
        if _BOOT_PATH.search(path.replace("\\\\", "\\")):
            self._open(write, Run(name, "register", pos, evidence), depth)
        else:
            self.pending.append(write)

    def pend(self, write: Write) -> None:
        """A file delivered to the target by other means (a Packer ``file`` provisioner)."""
        if _BOOT_PATH.search(write.path):
            self._open(write, Run(write.name, "register", write.pos, write.evidence), 0)
        elif write.name and len(self.pending) < MAX_WRITES:
            self.pending.append(write)

    def _resolve(
        self,
        text: str,
        where: Loc,
        locate: Locate,
        origin: object,
        context: tuple[str, tuple[Evidence, ...]],
        depth: int,
        held_spans: _Spans,
        held_lines: set[int],
    ) -> None:
        """Follow the pending files this text runs or registers (not from inside content it only writes).

        A run must come after the write in the same text; a registration may come before it (it acts at a later boot).
        """
        if not self.pending:
            return
        runs = _runs(text, {w.name for w in self.pending}, where)
        for run in runs:
            if run.pos in held_lines or run.pos in held_spans:
                continue
            run = Run(run.name, run.kind, run.pos, locate(run.pos, run.evidence.text))
            write = next(
                (
                    w
                    for w in self.pending
                    if w.name == run.name and (w.origin != origin or w.pos < run.pos or run.kind == "register")
                ),
                None,
            )
            if write is not None:
                self.pending.remove(write)
                self._open(write, run, depth, context)

    def _open(
        self, write: Write, run: Run, depth: int, context: tuple[str, tuple[Evidence, ...]] = ("now", ())
    ) -> None:
        """Follow a written file that is run (when the running script runs: ``context``) or registered (deferred)."""
        when, run_chain = context
        deferred = run.kind == "register" or "deferred" in (write.when, when)
        chain = _distinct((*write.chain, write.evidence, *run_chain, run.evidence))
        if isinstance(write.content, Unknown):
            reason = "; ".join(write.content.reasons) or "its content is not known"
            self.target.unknowns.append(Undecided(write.subject, reason))
            return
        if isinstance(write.content, str) and depth < MAX_SCRIPT_CHAIN:
            where = Loc(write.evidence.file, write.evidence.line, write.evidence.line)
            self.follow(write.content, write.locate, where, "deferred" if deferred else "now", chain, depth + 1)
