"""Shared helpers: write a project, scan it (as a library, through the command line, or as a process) with a
fixed date, and summarise what was found."""

from __future__ import annotations

import datetime
import json
import os
import subprocess
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest
from arclint import scan
from arclint.findings import Finding, Report

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).resolve().parent.parent
AS_OF = datetime.date(2026, 11, 27)

JsonReport = dict[str, Any]
Brief = tuple[str, str, int, str, str]


def write(root: Path, files: Mapping[str, str | bytes]) -> Path:
    """Create files under ``root`` from a {relative path: text or bytes} map."""
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def run_scan(folder: Path, **options: object) -> Report:
    """Scan ``folder`` as a user in it would (paths in findings are relative to it)."""
    opts = scan.Options(as_of=options.pop("as_of", AS_OF), env=options.pop("env", {}), **options)  # type: ignore[arg-type]
    return scan.run([Path(".")], root=folder, options=opts)


def brief(report: Report | JsonReport, rule: str | None = None, *, file: str | None = None) -> list[Brief]:
    """(rule, file, line, resource, severity) of each finding of a report or its JSON form, optionally only those
    of ``rule`` and/or in ``file``."""
    if isinstance(report, dict):
        rows = [(f["rule"], f["file"], f["line"], f["resource"], f["severity"]) for f in report["findings"]]
    else:
        rows = [(f.rule, f.file, f.line, f.resource, f.severity) for f in report.findings]
    return [r for r in rows if (rule is None or r[0] == rule) and (file is None or r[1] == file)]


def only(report: Report | JsonReport, rule: str, file: str | None = None) -> Any:
    """The one finding of ``rule`` (in ``file``, when given): a ``Finding``, or a dict for a JSON report."""
    findings: list[Finding] | list[dict[str, Any]] = report["findings"] if isinstance(report, dict) else report.findings
    found = [f for f, b in zip(findings, brief(report), strict=True) if b[0] == rule and (file is None or b[1] == file)]
    assert len(found) == 1, brief(report)
    return found[0]


def script_fixture(name: str) -> str:
    """The text of ``tests/fixtures/scripts/NAME``: a whole onboarding script, kept as a file with its real lines."""
    return (FIXTURES / "scripts" / name).read_text(encoding="utf-8")


def expected_lines(folder: Path) -> list[str]:
    """The non-blank lines of ``folder/expected.txt``, stripped."""
    return [line.strip() for line in (folder / "expected.txt").read_text().splitlines() if line.strip()]


def _outside_values(environ: Mapping[str, str]) -> list[str]:
    """Names of variables that would give a scan values from outside the project (``TF_VAR_*``, ``PKR_VAR_*``)."""
    return [name for name in environ if name.startswith(("TF_VAR_", "PKR_VAR_"))]


def scan_process(folder: Path, *args: str) -> tuple[int, JsonReport]:
    """``python -m arclint scan . --format json ARGS`` in ``folder`` as a separate process with a fixed date and
    none of the caller's ``TF_VAR_*``/``PKR_VAR_*``: it must end within the timeout and print no traceback."""
    env = {k: v for k, v in os.environ.items() if k not in _outside_values(os.environ)}
    proc = subprocess.run(
        [sys.executable, "-m", "arclint", "scan", ".", "--format", "json", "--as-of", AS_OF.isoformat(), *args],
        cwd=folder,
        env=env,
        capture_output=True,
        timeout=120,
        check=False,
    )
    stderr = proc.stderr.decode("utf-8", errors="replace")
    assert "Traceback" not in stderr, stderr
    return proc.returncode, json.loads(proc.stdout.decode("utf-8"))


class Cli:
    """``arclint`` run in-process through click's runner, in a folder (``monkeypatch.chdir``: the command line
    shows paths relative to the current folder), without the caller's ``TF_VAR_*``/``PKR_VAR_*``.

    ``catch_exceptions=False``: a traceback fails the test."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, home: Path) -> None:
        self._monkeypatch = monkeypatch
        self._home = home
        for name in _outside_values(os.environ):
            monkeypatch.delenv(name)

    def __call__(
        self, *args: str, cwd: Path | None = None, env: Mapping[str, str] | None = None
    ) -> tuple[int, str, str]:
        """Run ``arclint ARGS`` in ``cwd`` (by default the test's empty ``tmp_path``): (exit code, stdout, stderr)."""
        from arclint.cli import main
        from click.testing import CliRunner

        self._monkeypatch.chdir(cwd or self._home)
        result = CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)
        return result.exit_code, result.stdout, result.stderr

    def scan(self, folder: Path, *args: str) -> tuple[int, str, str]:
        """``arclint scan ARGS --as-of AS_OF`` in ``folder``: (exit code, stdout, stderr)."""
        return self("scan", *args, "--as-of", AS_OF.isoformat(), cwd=folder)

    def json(self, folder: Path, *paths: str) -> tuple[int, JsonReport]:
        """``arclint scan PATHS --format json --as-of AS_OF`` in ``folder`` (PATHS default to ``.``): the exit
        code and the JSON report."""
        code, out, err = self.scan(folder, *(paths or (".",)), "--format", "json")
        assert "Traceback" not in err, err
        return code, json.loads(out)


@pytest.fixture(autouse=True)
def _not_in_github_actions(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests run as if outside GitHub Actions, where the default format is text (inside, it is ``github``)."""
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)


@pytest.fixture(autouse=True)
def _as_in_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests run as in CI (``CI=true``), where the command line keeps no parse cache: scanning the repository's
    own fixtures and examples writes nothing into them. Cache tests unset it."""
    monkeypatch.setenv("CI", "true")
    monkeypatch.delenv("TF_BUILD", raising=False)


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Cli:
    """Run the command line in a folder; see ``Cli``."""
    return Cli(monkeypatch, tmp_path)


@pytest.fixture
def project(tmp_path: Path) -> Callable[..., Report]:
    """Write files into a temporary project and scan it."""

    def make(files: Mapping[str, str | bytes], **options: object) -> Report:
        write(tmp_path, files)
        return run_scan(tmp_path, **options)

    return make


def policy_yaml(rule_id: str, when: str, applies_to: str = "{}") -> str:
    """A user policy (``--policy-dir``) with the YAML flow-style condition ``when``; its message is the address."""
    return (
        f"id: {rule_id}\nname: rule-{rule_id.lower()}\ntitle: {rule_id}\nseverity: warning\n"
        f"applies-to: {applies_to}\nwhen: {when}\nmessage: '{{address}}'\nremediation: r\n"
        "source: https://example.org\ndocs: {what: a, why: b, bad: c, good: d}\n"
    )


def read_pty(leader: int) -> bytes:
    """Everything written to a pseudo-terminal until its other end closes; then ``leader`` is closed."""
    import os

    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closed (EIO)
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    return b"".join(chunks)
