"""The terminal: ``-q`` (summary only), ``-v`` (also the unknowns), ``file:line:col`` paths, and a progress line on
standard error for slow scans on a terminal only, erased when done."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from arclint.report.progress import Progress

from conftest import Cli, read_pty, write

MAIN = """resource "aws_instance" "plain" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "t3.small"
}

resource "aws_instance" "arc" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "t3.small"
  user_data     = "#!/bin/bash\\nsudo apt-get install -y azcmagent\\n"
}
"""

AMI_ID = (
    "ami = ami-0123456789abcdef0 is an AMI id, which does not tell its OS;"
    " use an aws_ami data source with a name filter"
)
SUMMARY = "1 finding (0 error, 0 warning, 1 info) in 1 files, 2 targets; support matrix 2026-08-20, as of 2026-11-27"


def test_text_lines_are_file_line_col_then_summary(cli: Cli, tmp_path: Path) -> None:
    write(tmp_path, {"main.tf": MAIN})
    assert cli.scan(tmp_path) == (
        0,
        f"main.tf:6:1: info ARC002 aws_instance.arc: cannot tell its OS image: {AMI_ID}\n{SUMMARY}\n",
        "",
    )


def test_quiet_prints_the_summary_only_and_keeps_the_exit_code(cli: Cli, tmp_path: Path) -> None:
    write(tmp_path, {"main.tf": MAIN.replace("apt-get install -y azcmagent", "azcmagent connect -g rg")})
    code, out, err = cli.scan(tmp_path, "-q", "--fail-on", "warning", "--severity", "ARC002=warning")
    assert (code, err) == (1, "")
    assert out == SUMMARY.replace("0 warning, 1 info", "1 warning, 0 info") + "\n"


def test_verbose_adds_every_targets_unknowns_also_those_arc002_does_not_report(cli: Cli, tmp_path: Path) -> None:
    write(tmp_path, {"main.tf": MAIN})
    assert cli.scan(tmp_path, "-v") == (
        0,
        f"main.tf:6:1: info ARC002 aws_instance.arc: cannot tell its OS image: {AMI_ID}\n"
        "2 unknowns:\n"
        f"  main.tf:1:1: aws_instance.plain: OS image: {AMI_ID}\n"
        f"  main.tf:6:1: aws_instance.arc: OS image: {AMI_ID}\n"
        f"{SUMMARY}\n",
        "",
    )


def test_verbose_and_quiet_leave_the_json_report_unchanged(cli: Cli, tmp_path: Path) -> None:
    write(tmp_path, {"main.tf": MAIN})
    plain = cli.scan(tmp_path, "--format", "json")
    assert cli.scan(tmp_path, "--format", "json", "-v") == plain
    assert cli.scan(tmp_path, "--format", "json", "-q") == plain


@pytest.mark.parametrize("order", [("-q", "-v"), ("-v", "-q")])
def test_quiet_and_verbose_together_is_a_usage_error(cli: Cli, tmp_path: Path, order: tuple[str, str]) -> None:
    code, out, err = cli.scan(tmp_path, *order)
    assert (code, out) == (2, "")
    assert "-q/--quiet and -v/--verbose exclude each other" in err


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_line_on_a_terminal_after_the_delay_then_erased() -> None:
    stream = Terminal()
    with Progress(stream, "infra", delay=0.05, interval=0.05):
        time.sleep(0.3)
    text = stream.getvalue()
    assert text.startswith("\r\033[Karclint: scanning infra (0s)")
    assert text.endswith("\r\033[K")
    assert text.count("arclint: scanning infra (") >= 2  # updated while it runs


def test_no_progress_line_for_a_quick_scan_or_off_a_terminal() -> None:
    quick = Terminal()
    with Progress(quick, "infra", delay=5):
        pass
    assert quick.getvalue() == ""
    piped = io.StringIO()
    with Progress(piped, "infra", delay=0, interval=0.01):
        time.sleep(0.1)
    assert piped.getvalue() == ""


def test_progress_line_is_erased_when_the_scan_is_interrupted() -> None:
    stream = Terminal()
    with pytest.raises(KeyboardInterrupt), Progress(stream, "infra", delay=0, interval=0.01):
        time.sleep(0.1)
        raise KeyboardInterrupt
    assert stream.getvalue().endswith("\r\033[K")


def test_a_slow_scan_writes_no_progress_when_stderr_is_not_a_terminal(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from arclint import scan

    run = scan.run

    def slow(*args: object, **kwargs: object) -> object:
        time.sleep(1.3)
        return run(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(scan, "run", slow)
    write(tmp_path, {"main.tf": MAIN})
    code, _, err = cli.scan(tmp_path)
    assert (code, err) == (0, "")


SLOW_SCAN = """
import sys, time
from arclint import scan
from arclint.cli import main

run = scan.run

def slow(*args, **kwargs):
    time.sleep(1.6)
    return run(*args, **kwargs)

scan.run = slow
main(["scan", ".", "--as-of", "2026-11-27"])
"""


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_a_slow_scan_shows_a_progress_line_on_a_terminal_stderr_and_erases_it(tmp_path: Path) -> None:
    import pty

    write(tmp_path, {"main.tf": MAIN})
    leader, follower = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-c", SLOW_SCAN], cwd=tmp_path, stdout=subprocess.PIPE, stderr=follower, env=dict(os.environ)
    )
    os.close(follower)
    written = read_pty(leader)
    out = proc.communicate(timeout=120)[0].decode()
    assert proc.returncode == 0
    err = written.decode()
    assert err.startswith("\r\033[Karclint: scanning . (1s)")
    assert err.endswith("\r\033[K")
    assert out.endswith(f"{SUMMARY}\n") and "scanning" not in out
