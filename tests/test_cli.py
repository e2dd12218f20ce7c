"""The command line contract: commands, exit codes, report shapes, configuration errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from arclint import __version__

from conftest import FIXTURES, REPO, Cli, write

BAD = FIXTURES / "rules" / "ARC402" / "bad"
GOOD = FIXTURES / "rules" / "ARC402" / "good"


def test_scan_bad_json_exits_1_with_the_contract_shape(cli: Cli) -> None:
    code, out, _ = cli("scan", ".", "--format", "json", "--as-of", "2026-11-27", cwd=BAD)
    assert code == 1
    data = json.loads(out)
    assert list(data) == ["version", "as_of", "findings", "summary", "errors"]
    assert data["version"] == __version__ and data["as_of"] == "2026-11-27"
    assert data["errors"] == []
    finding = data["findings"][0]
    for key in (
        "rule",
        "severity",
        "message",
        "file",
        "line",
        "end_line",
        "resource",
        "remediation",
        "docs",
        "evidence",
    ):
        assert key in finding
    assert (finding["rule"], finding["file"], finding["line"], finding["resource"]) == (
        "ARC402",
        "main.tf",
        11,
        "aws_instance.legacy",
    )
    assert finding["evidence"][0] == {
        "file": "main.tf",
        "line": 1,
        "text": (
            "aws_ami xenial: owners ['099720109477'], name ubuntu/images/hvm-ssd/ubuntu-xenial-16.04-amd64-server-*"
        ),
    }
    assert data["summary"] == {
        "error": 3,
        "warning": 0,
        "info": 0,
        "files": 2,
        "targets": 3,
        "support_matrix": "2026-08-20",
    }


def test_scan_good_exits_0(cli: Cli) -> None:
    code, out, _ = cli("scan", str(GOOD))
    assert code == 0
    assert out.startswith("0 findings (0 error, 0 warning, 0 info) in 1 files, 1 targets")


def test_text_output_lines(cli: Cli) -> None:
    code, out, _ = cli("scan", ".", "--as-of", "2025-01-01", "--no-color", cwd=BAD)
    assert code == 1
    lines = out.splitlines()
    assert lines[0].startswith("main.tf:11: warning ARC402 aws_instance.legacy onboards Ubuntu 16.04")
    assert lines[1] == (
        "    main.tf:1: aws_ami xenial: owners ['099720109477'], name "
        "ubuntu/images/hvm-ssd/ubuntu-xenial-16.04-amd64-server-*"
    )
    assert lines[-1].startswith("3 findings (0 error, 3 warning, 0 info) in 2 files, 3 targets")


def test_fail_on_error_ignores_warnings(cli: Cli) -> None:
    assert (
        cli("scan", ".", "--as-of", "2025-01-01", "--fail-on", "error", cwd=FIXTURES / "rules" / "ARC301" / "bad")[0]
        == 0
    )


def test_info_never_fails(cli: Cli) -> None:
    code, out, _ = cli("scan", ".", cwd=FIXTURES / "rules" / "ARC002" / "bad")
    assert code == 0
    assert "3 findings (0 error, 0 warning, 3 info)" in out


def test_output_file_is_written_atomically(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    code, out, _ = cli("scan", str(BAD), "--format", "json", "-o", str(target))
    assert code == 1 and out == ""
    assert json.loads(target.read_text())["summary"]["error"] == 3
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]


def test_bad_date_is_a_usage_error(cli: Cli) -> None:
    code, _, err = cli("scan", str(GOOD), "--as-of", "27/11/2026")
    assert code == 2
    assert "YYYY-MM-DD" in err


def test_unknown_matrix_edition_is_exit_2_listing_editions(cli: Cli) -> None:
    code, _, err = cli("scan", str(GOOD), "--support-matrix", "1999-01-01")
    assert code == 2
    assert "1999-01-01" in err and "2026-08-20" in err


def test_broken_policy_file_is_exit_2_naming_file_and_path(cli: Cli, tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "mine.yaml": (
                "id: ORG001\n"
                "name: my-rule\n"
                "title: t\n"
                "severity: fatal\n"
                "message: m\n"
                "remediation: r\n"
                "source: https://example.org\n"
                "docs: {what: a, why: b, bad: c, good: d}\n"
                "when: {fact: platform, equals: aws}\n"
            )
        },
    )
    code, _, err = cli("scan", str(GOOD), "--policy-dir", str(tmp_path))
    assert code == 2
    assert "mine.yaml" in err and "at severity" in err and "'fatal'" in err


def test_invalid_yaml_policy_is_exit_2_with_line(cli: Cli, tmp_path: Path) -> None:
    write(tmp_path, {"mine.yaml": "id: ORG001\nname: [unclosed\n"})
    code, _, err = cli("scan", str(GOOD), "--policy-dir", str(tmp_path))
    assert code == 2
    assert "mine.yaml" in err and "line" in err and "not valid YAML" in err


def test_user_policy_runs_without_python(cli: Cli, tmp_path: Path) -> None:
    write(
        tmp_path / "pol",
        {
            "org001.yaml": """
id: ORG001
name: no-arc-on-aws
title: Our policy - no Arc on AWS
severity: warning
applies-to: {platforms: [aws]}
when: {fact: onboarding.agent, in: [installed, connected]}
message: "{address} onboards Arc on AWS ({evidence})"
remediation: Ask the platform team.
source: https://example.org/policy
docs: {what: a, why: b, bad: c, good: d}
"""
        },
    )
    code, out, _ = cli("scan", str(BAD), "--policy-dir", str(tmp_path / "pol"), "--format", "json")
    rules = [f["rule"] for f in json.loads(out)["findings"]]
    assert rules.count("ORG001") == 2


def test_rules_lists_every_rule(cli: Cli) -> None:
    code, out, _ = cli("rules")
    assert code == 0
    assert out.splitlines()[0].split()[:3] == ["ARC001", "file-not-parsed", "error"]
    listed = [line.split()[0] for line in out.splitlines()]
    assert listed == sorted(p.stem for p in (REPO / "policies" / "rules").glob("ARC*.yaml"))


def test_rules_lists_matrix_editions(cli: Cli) -> None:
    assert cli("rules", "--matrices")[1] == "2025-09-16\n2026-08-20  (default)\n"


def test_explain_by_id_and_by_name(cli: Cli) -> None:
    code, out, _ = cli("explain", "ARC201")
    assert code == 0
    assert out.startswith("<!-- generated") and "# ARC201: arc-connected-in-image" in out
    assert cli("explain", "arc-connected-in-image")[1] == out


def test_explain_unknown_rule_is_exit_2(cli: Cli) -> None:
    code, _, err = cli("explain", "ARC999")
    assert code == 2 and "ARC999" in err


def test_version(cli: Cli) -> None:
    assert cli("--version")[1].strip() == f"arclint, version {__version__}"


def test_missing_path_is_exit_2_on_stderr_not_a_traceback(cli: Cli) -> None:
    code, out, err = cli("scan", "does/not/exist")
    assert (code, out, err) == (2, "", "arclint: does/not/exist: no such file or folder\n")


def test_every_missing_path_is_named_even_beside_a_good_one(cli: Cli) -> None:
    code, out, err = cli("scan", str(GOOD), "typo.tf", "nope", "--format", "json")
    assert (code, out) == (2, "")
    assert err == "arclint: typo.tf: no such file or folder\narclint: nope: no such file or folder\n"


def test_unreadable_given_file_is_exit_2(cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import errno

    write(tmp_path, {"locked.tf": "locals {}\n"})
    real = os.open

    def deny(path, flags, *args):  # type: ignore[no-untyped-def]  (tests run as root: chmod cannot deny)
        if Path(os.fsdecode(path)).name == "locked.tf":
            raise PermissionError(errno.EACCES, "Permission denied", os.fsdecode(path))
        return real(path, flags, *args)

    monkeypatch.setattr(os, "open", deny)
    code, out, err = cli("scan", "locked.tf", cwd=tmp_path)
    assert (code, out, err) == (2, "", "arclint: locked.tf: cannot be read (Permission denied)\n")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_given_pipe_is_exit_2_and_never_opened(cli: Cli, tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.tf")
    code, out, err = cli("scan", "pipe.tf", cwd=tmp_path)
    assert (code, out, err) == (2, "", "arclint: pipe.tf: not a regular file or folder (a pipe, device or socket)\n")


def test_given_file_that_is_not_terraform_or_packer_is_skipped_with_exit_0(cli: Cli, tmp_path: Path) -> None:
    write(tmp_path, {"README.md": "# hello\n", "main.tf": "locals {}\n"})
    code, out, err = cli("scan", "README.md", "main.tf", cwd=tmp_path)
    assert code == 0
    assert out.startswith("0 findings")
    assert err == "arclint: README.md: not a Terraform or Packer file; skipped\n"


def test_explicit_file_reports_only_that_file_but_evaluates_its_folder(cli: Cli, tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "variables.tf": (
                'variable "ami_name" {\n  default = "ubuntu/images/hvm-ssd/ubuntu-xenial-16.04-amd64-server-*"\n}\n'
            ),
            "main.tf": (
                'data "aws_ami" "x" {\n'
                '  owners = ["099720109477"]\n'
                "  filter {\n"
                '    name = "name"\n'
                "    values = [var.ami_name]\n"
                "  }\n"
                "}\n"
                'resource "aws_instance" "a" {\n'
                "  ami = data.aws_ami.x.id\n"
                '  user_data = "azcmagent connect -g rg"\n'
                "}\n"
            ),
            "other.tf": (
                'resource "aws_instance" "b" {\n  ami = data.aws_ami.x.id\n  user_data = "azcmagent connect -g rg"\n}\n'
            ),
        },
    )
    code, out, _ = cli("scan", "main.tf", "--format", "json", cwd=tmp_path)
    found = [(f["rule"], f["file"], f["resource"]) for f in json.loads(out)["findings"]]
    assert found == [("ARC402", "main.tf", "aws_instance.a")]


def test_python_m_arclint_works() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "arclint", "scan", str(GOOD)], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("0 findings")


def test_help_does_not_import_heavy_modules() -> None:
    code = (
        "import sys; from arclint.cli import main\n"
        "try:\n"
        "    main(['--help'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(sorted(m for m in ('hcl2', 'lark', 'jsonschema', 'yaml') if m in sys.modules))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert proc.stdout.strip().splitlines()[-1] == "[]"


@pytest.mark.parametrize("folder", ["bad", "good"])
def test_examples(cli: Cli, folder: str) -> None:
    code, out, _ = cli("scan", str(REPO / "examples" / folder), "--format", "json")
    data = json.loads(out)
    if folder == "bad":
        assert code == 1
        assert {f["rule"] for f in data["findings"]} == {
            "ARC101",
            "ARC102",
            "ARC201",
            "ARC301",
            "ARC302",
            "ARC402",
            "ARC403",
        }
        assert all(f["file"] and f["line"] >= 1 and f["resource"] for f in data["findings"])
    else:
        assert code == 0
        assert [f for f in data["findings"] if f["severity"] != "info"] == []


def test_explicit_json_that_is_not_packer_is_reported(cli: Cli, tmp_path: Path) -> None:
    write(tmp_path, {"package.json": '{"name": "x"}'})
    code, out, err = cli("scan", "package.json", cwd=tmp_path)
    assert code == 0
    assert err == 'arclint: package.json: a JSON file that is not a Packer template (no "builders"); skipped\n'
    assert "arclint:" not in out
    code, out, err = cli("scan", "package.json", "--format", "json", cwd=tmp_path)
    assert json.loads(out)["errors"] == [
        'package.json: a JSON file that is not a Packer template (no "builders"); skipped'
    ]
    assert err == 'arclint: package.json: a JSON file that is not a Packer template (no "builders"); skipped\n'


def test_a_foreign_hcl2_package_is_exit_2_with_advice(tmp_path: Path) -> None:
    fake = tmp_path / "fake" / "hcl2"
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text("def loads(text):\n    return {}\n")
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "fake")}
    proc = subprocess.run(
        [sys.executable, "-m", "arclint", "scan", str(GOOD)], capture_output=True, text=True, env=env, check=False
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert "bc-python-hcl2" in proc.stderr and "pipx install arclint" in proc.stderr
    assert str(fake / "__init__.py") in proc.stderr


def test_help_states_the_exit_codes(cli: Cli) -> None:
    _, top, _ = cli("--help")
    _, scan_help, _ = cli("scan", "--help")
    for text in (top, scan_help):
        flat = " ".join(text.split())
        assert "does not exist or cannot be read" in flat and "internal error" in flat
