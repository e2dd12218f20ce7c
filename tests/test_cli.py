"""The command line contract: commands, exit codes, report shapes, configuration errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from arclint import __version__

from conftest import FIXTURES, REPO, Cli, read_pty, write

BAD = FIXTURES / "rules" / "ARC402" / "bad"
GOOD = FIXTURES / "rules" / "ARC402" / "good"
XENIAL_EVIDENCE = (
    "aws_ami xenial: owners ['099720109477'], name ubuntu/images/hvm-ssd/ubuntu-xenial-16.04-amd64-server-*"
)


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
        "text": XENIAL_EVIDENCE,
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
    assert lines[0].startswith("main.tf:11:1: warning ARC402 aws_instance.legacy onboards Ubuntu 16.04")
    assert lines[1] == f"    main.tf:1: {XENIAL_EVIDENCE}"
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


def test_a_relative_policy_dir_is_named_as_given(cli: Cli, tmp_path: Path) -> None:
    write(tmp_path, {"main.tf": "", "mine/bad.yaml": "id: ORG001\nname: my-rule\n"})
    code, _, err = cli("scan", ".", "--policy-dir", "mine", cwd=tmp_path)
    assert (code, err) == (2, "arclint: mine/bad.yaml: at (top level): 'title' is a required property\n")


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


def test_explicit_file_reports_only_findings_in_it_or_with_evidence_in_it_but_evaluates_its_folder(
    cli: Cli, tmp_path: Path
) -> None:
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
                'data "aws_ami" "y" {\n  owners = ["099720109477"]\n  filter {\n    name = "name"\n'
                "    values = [var.ami_name]\n  }\n}\n"
                'resource "aws_instance" "c" {\n  ami = data.aws_ami.y.id\n  user_data = "azcmagent connect -g rg"\n}\n'
            ),
        },
    )
    code, out, _ = cli("scan", "main.tf", "--format", "json", cwd=tmp_path)
    found = [
        (f["rule"], f["file"], f["resource"], [e["file"] for e in f["evidence"]]) for f in json.loads(out)["findings"]
    ]
    # aws_instance.b is in other.tf, but the image filter that decides its finding is in main.tf: reported too
    assert found == [
        ("ARC402", "main.tf", "aws_instance.a", ["main.tf", "main.tf"]),
        ("ARC402", "other.tf", "aws_instance.b", ["main.tf", "other.tf"]),
    ]
    code, out, _ = cli("scan", ".", "--format", "json", cwd=tmp_path)
    found = [
        (f["rule"], f["file"], f["resource"], [e["file"] for e in f["evidence"]]) for f in json.loads(out)["findings"]
    ]
    assert ("ARC402", "other.tf", "aws_instance.c", ["other.tf", "other.tf"]) in found


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


# --- --exclude: a glob matched against each file's and folder's own name ------------------------------------------

ONBOARDED = 'resource "aws_instance" "%s" {\n  ami       = "ami-1"\n  user_data = "azcmagent connect -g rg"\n}\n'
EXCLUDE_TREE = {
    "main.tf": ONBOARDED % "app",
    "legacy/main.tf": ONBOARDED % "old",
    "legacy/deep/main.tf": ONBOARDED % "older",
    "net/main.tf": ONBOARDED % "net",
    "net/scratch.draft.tf": ONBOARDED % "draft",
    "scratch.draft.tf": ONBOARDED % "draft_root",
}


def _scanned(cli: Cli, tmp_path: Path, *args: str) -> tuple[int, list[str]]:
    """Files scanned (summary) and the files findings are in, for a scan of ``tmp_path`` with ``args``."""
    write(tmp_path, EXCLUDE_TREE)
    code, out, err = cli("scan", ".", "--format", "json", *args, cwd=tmp_path)
    assert (code, err) == (0, "")
    data = json.loads(out)
    return data["summary"]["files"], sorted({f["file"] for f in data["findings"]})


def test_exclude_a_folder_name_skips_the_folder_and_everything_below_it(cli: Cli, tmp_path: Path) -> None:
    assert _scanned(cli, tmp_path, "--exclude", "legacy") == (
        4,
        ["main.tf", "net/main.tf", "net/scratch.draft.tf", "scratch.draft.tf"],
    )


def test_exclude_a_file_glob_skips_matching_files_at_any_depth(cli: Cli, tmp_path: Path) -> None:
    assert _scanned(cli, tmp_path, "--exclude", "*.draft.tf") == (
        4,
        ["legacy/deep/main.tf", "legacy/main.tf", "main.tf", "net/main.tf"],
    )


def test_exclude_is_repeatable(cli: Cli, tmp_path: Path) -> None:
    assert _scanned(cli, tmp_path, "--exclude", "legacy", "--exclude", "*.draft.tf") == (2, ["main.tf", "net/main.tf"])


def test_exclude_matches_names_not_paths(cli: Cli, tmp_path: Path) -> None:
    """A pattern with a slash never matches a name: nothing is skipped."""
    assert _scanned(cli, tmp_path, "--exclude", "legacy/*", "--exclude", "net/scratch.draft.tf") == (
        6,
        ["legacy/deep/main.tf", "legacy/main.tf", "main.tf", "net/main.tf", "net/scratch.draft.tf", "scratch.draft.tf"],
    )


# --- --var NAME=VALUE: strings as given, numbers converted where used, lists and maps in HCL -------------------------

VAR_CONFIG = """variable "n" {}
variable "names" {}
variable "tags" {}
variable "rg" {}

resource "aws_instance" "counted" {
  count     = var.n + 1
  ami       = "ami-1"
  user_data = "azcmagent connect -g ${var.rg} --resource-name fixed"
}

resource "aws_instance" "listed" {
  for_each  = toset(var.names)
  ami       = "ami-1"
  user_data = "azcmagent connect -g rg --resource-name fixed"
}

resource "aws_instance" "mapped" {
  for_each  = var.tags
  ami       = "ami-1"
  user_data = "azcmagent connect -g ${each.value} --resource-name fixed"
}
"""
VAR_DEFAULTS = ("n=0", "names=[]", "tags={}", "rg=rg")


def _with_vars(
    cli: Cli, tmp_path: Path, *assignments: str
) -> tuple[int, list[tuple[str, int, str, list[str] | None, str]]]:
    """Exit code and findings for ``--var`` ``assignments`` (after VAR_DEFAULTS; later ones win): (rule, line,
    resource, instances, the first evidence's text, or for ARC002 the message). The unknown AMI's ARC002 is left out."""
    write(tmp_path, {"main.tf": VAR_CONFIG})
    args = [a for assignment in (*VAR_DEFAULTS, *assignments) for a in ("--var", assignment)]
    code, out, err = cli("scan", ".", "--format", "json", "--as-of", "2026-11-27", *args, cwd=tmp_path)
    assert err == ""
    found = [
        (
            f["rule"],
            f["line"],
            f["resource"],
            f.get("instances"),
            f["message"] if f["rule"] == "ARC002" else f["evidence"][0]["text"],
        )
        for f in json.loads(out)["findings"]
        if not (f["rule"] == "ARC002" and "cannot tell its OS image" in f["message"])
    ]
    return code, found


def test_var_string_is_taken_as_given_up_to_the_first_equals_sign(cli: Cli, tmp_path: Path) -> None:
    assert _with_vars(cli, tmp_path, "n=1", "rg=rg=prod") == (
        1,
        [("ARC204", 6, "aws_instance.counted", ["0", "1"], "azcmagent connect -g rg=prod --resource-name fixed")],
    )


def test_var_number_is_converted_where_a_number_is_needed(cli: Cli, tmp_path: Path) -> None:
    assert _with_vars(cli, tmp_path, "n=2") == (
        1,
        [("ARC204", 6, "aws_instance.counted", ["0", "1", "2"], "azcmagent connect -g rg --resource-name fixed")],
    )


def test_var_list_is_parsed_as_hcl(cli: Cli, tmp_path: Path) -> None:
    assert _with_vars(cli, tmp_path, 'names=["a", "b"]') == (
        1,
        [("ARC204", 12, "aws_instance.listed", ["a", "b"], "azcmagent connect -g rg --resource-name fixed")],
    )


def test_var_map_is_parsed_as_hcl(cli: Cli, tmp_path: Path) -> None:
    assert _with_vars(cli, tmp_path, 'tags={x = "rg-x", y = "rg-y"}') == (
        1,
        [("ARC204", 18, "aws_instance.mapped", ["x", "y"], "azcmagent connect -g rg-x --resource-name fixed")],
    )


def test_var_list_or_map_with_bad_syntax_stays_a_string(cli: Cli, tmp_path: Path) -> None:
    """Not valid HCL: the value is the string as given, so a for_each over it is an explicit unknown (exit 0)."""
    assert _with_vars(cli, tmp_path, 'names=["a", "b"', "tags={x = }") == (
        0,
        [
            (
                "ARC002",
                12,
                "aws_instance.listed",
                None,
                "aws_instance.listed: cannot tell how many machines it creates: for_each is not known "
                "(toset(): a string is not a list); its instances are checked as one",
            ),
            (
                "ARC002",
                18,
                "aws_instance.mapped",
                None,
                "aws_instance.mapped: cannot tell how many machines it creates: "
                "for_each = '{x = }' is neither a map nor a set",
            ),
        ],
    )


@pytest.mark.parametrize("given", ["novalue", "=value"])
def test_var_without_name_or_equals_sign_is_a_usage_error(cli: Cli, tmp_path: Path, given: str) -> None:
    write(tmp_path, {"main.tf": VAR_CONFIG})
    code, out, err = cli("scan", ".", "--var", given, cwd=tmp_path)
    assert (code, out) == (2, "")
    assert err.endswith(f"Error: Invalid value for '--var': '{given}' is not NAME=VALUE\n")


# --- --color/--no-color: default on when standard output is a terminal; never in a report file unless asked ---------

RED_ERROR = "main.tf:11:1: \033[31merror\033[0m ARC402 aws_instance.legacy onboards Ubuntu 16.04"
PLAIN_ERROR = "main.tf:11:1: error ARC402 aws_instance.legacy onboards Ubuntu 16.04"


def _on_a_terminal(*args: str, env: dict[str, str] | None = None) -> str:
    """Standard output of ``arclint scan`` (in the ARC402 bad fixture) written to a pseudo-terminal."""
    import pty

    leader, follower = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "arclint", "scan", ".", "--as-of", "2026-11-27", *args],
        cwd=BAD,
        stdout=follower,
        stderr=subprocess.DEVNULL,
        env={**os.environ, **(env or {})},
    )
    os.close(follower)
    written = read_pty(leader)
    assert proc.wait(timeout=120) == 1
    return written.decode().replace("\r\n", "\n")


needs_pty = pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")


@needs_pty
def test_color_is_on_by_default_on_a_terminal() -> None:
    out = _on_a_terminal()
    assert out.splitlines()[0].startswith(RED_ERROR)
    assert out.count("\033[31merror\033[0m") == 3 and "\033[" not in out.splitlines()[-1]


@needs_pty
def test_no_color_turns_it_off_on_a_terminal() -> None:
    out = _on_a_terminal("--no-color")
    assert out.splitlines()[0].startswith(PLAIN_ERROR)
    assert "\033[" not in out


@needs_pty
def test_no_color_environment_variable_turns_it_off_on_a_terminal() -> None:
    assert "\033[" not in _on_a_terminal(env={"NO_COLOR": "1"})


def test_color_colors_the_severity_in_a_report_file(cli: Cli, tmp_path: Path) -> None:
    report = tmp_path / "report.txt"
    code, out, _ = cli("scan", ".", "--as-of", "2026-11-27", "--color", "-o", str(report), cwd=BAD)
    assert (code, out) == (1, "")
    lines = report.read_text().splitlines()
    assert lines[0].startswith(RED_ERROR)
    assert [line.split(" ", 2)[1] for line in lines if not line.startswith(" ")][:3] == ["\033[31merror\033[0m"] * 3


def test_a_report_file_has_no_color_by_default(cli: Cli, tmp_path: Path) -> None:
    report = tmp_path / "report.txt"
    assert cli("scan", ".", "--as-of", "2026-11-27", "-o", str(report), cwd=BAD)[0] == 1
    text = report.read_text()
    assert text.startswith(PLAIN_ERROR) and "\033[" not in text


def test_color_never_touches_json(cli: Cli, tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    cli("scan", ".", "--as-of", "2026-11-27", "--color", "--format", "json", "-o", str(report), cwd=BAD)
    text = report.read_text()
    assert "\\u001b" not in text and "\033" not in text
    assert json.loads(text)["findings"][0]["severity"] == "error"


def test_color_colors_a_pipe_too() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "arclint", "scan", ".", "--as-of", "2026-11-27", "--color"],
        cwd=BAD,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.stdout.startswith(RED_ERROR)
