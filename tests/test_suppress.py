"""Suppressions: every comment form, file-level, expiry, governance (reason, allow) and --show-suppressed."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest
from arclint.core.document import Suppression
from arclint.policy import PolicyError
from arclint.suppress import Governance, comments

from conftest import AS_OF, brief, only, run_scan, write

VM = """resource "azurerm_linux_virtual_machine" "lab" {
  name                = "vm-arc-lab"
  resource_group_name = "rg-arc-lab"
  location            = "westeurope"
  size                = "Standard_B2s"
  admin_username      = "azureuser"
  custom_data         = base64encode("azcmagent connect --resource-group rg-arc-lab --location westeurope")
}
"""
ARC101_MESSAGE = (
    "azurerm_linux_virtual_machine.lab runs the Azure Connected Machine agent on an Azure VM, where it is not"
    " supported outside a complete evaluation setup (main.tf:{line})"
)
SPOT_JSON = """{
  "resource": {
    "aws_instance": {%s
      "legacy": {%s
        "ami": "ami-0123456789abcdef0",
        "instance_type": "t3.medium",
        "user_data": "azcmagent connect -g rg -l westeurope",
        "instance_market_options": {"market_type": "spot"}
      }
    }
  }
}
"""


def spot_json(above: str = "", inside: str = "") -> str:
    """An AWS spot instance in Terraform JSON (ARC302 warning and ARC002 info at the "legacy" key, line 4 without
    comments), with ``"//"`` keys added on the line above it and inside its object."""
    return SPOT_JSON % (f'\n      "//": "{above}",' if above else "", f'\n        "//": "{inside}",' if inside else "")


def vm(before: str = "", first_line: str = "") -> str:
    """The Azure VM (ARC101 on its first line) with ``before`` as lines above it and ``first_line`` after its ``{``."""
    return before + VM.replace("{\n", "{ " + first_line + "\n", 1) if first_line else before + VM


# --- the comment forms -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        vm("# arclint:ignore ARC101 lab\n"),
        vm("// arclint:ignore ARC101 lab\n"),
        vm("/* arclint:ignore ARC101 lab */\n"),
        vm("/*\n  arclint:ignore ARC101\n  lab\n*/\n"),
        vm(first_line="# arclint:ignore ARC101 lab"),
        vm(first_line="// arclint:ignore arc-on-azure-vm lab"),
        vm(first_line="/* arclint:ignore ARC101 lab */"),
    ],
    ids=["hash-above", "slashes-above", "block-above", "block-over-lines", "hash-first", "name-first", "block-first"],
)
def test_each_hcl_comment_form_suppresses(project, text: str) -> None:
    report = project({"main.tf": text}, show_suppressed=True)
    assert brief(report) == []
    assert [(s.finding.rule, s.file, s.reason) for s in report.suppressed] == [("ARC101", "main.tf", "lab")]


def test_a_block_comment_two_lines_above_the_block_is_unused(project) -> None:
    report = project({"main.tf": vm("/* arclint:ignore ARC101 lab */\n\n")})
    assert brief(report) == [
        ("ARC003", "main.tf", 1, "", "warning"),
        ("ARC101", "main.tf", 3, "azurerm_linux_virtual_machine.lab", "error"),
    ]


def test_comments_reads_each_form_with_the_lines_it_covers() -> None:
    text = (
        "# arclint:ignore ARC101, arc-on-spot-capacity lab only\n"
        "b = 2 // arclint:ignore ARC402\n"
        "/* arclint:ignore ARC301 until=2026-12-31 legacy\n"
        "   box # arclint:ignore ARC999 inside the block comment */\n"
        "# arclint:ignore-file ARC302 whole file\n"
    )
    assert comments(text) == (
        Suppression(("ARC101", "arc-on-spot-capacity"), 1, "lab only", (1, 2)),
        Suppression(("ARC402",), 2, "", (2, 3)),
        Suppression(("ARC301",), 3, "legacy box # arclint:ignore ARC999 inside the block comment", (3, 4, 5),
                    until=datetime.date(2026, 12, 31)),
        Suppression(("ARC302",), 5, "whole file", (5, 6), whole_file=True),
    )  # fmt: skip


def test_a_marker_must_open_the_comment() -> None:
    assert comments('a = "x" # see arclint:ignore ARC101 in the docs\n') == ()


def test_json_comment_inside_the_object(project) -> None:
    report = project({"main.tf.json": spot_json(inside="arclint:ignore ARC302 spot is fine for this lab")})
    assert brief(report) == [("ARC002", "main.tf.json", 4, "aws_instance.legacy", "info")]


def test_json_comment_on_the_line_above(project) -> None:
    report = project({"main.tf.json": spot_json(above="arclint:ignore ARC302,ARC002 spot lab")})
    assert brief(report) == []


def test_json_comment_that_matches_nothing_is_arc003_at_its_line(project) -> None:
    report = project({"main.tf.json": spot_json(inside="arclint:ignore ARC101 not an Azure VM")})
    assert brief(report) == [
        ("ARC002", "main.tf.json", 4, "aws_instance.legacy", "info"),
        ("ARC302", "main.tf.json", 4, "aws_instance.legacy", "warning"),
        ("ARC003", "main.tf.json", 5, "", "warning"),
    ]


def test_json_reads_only_comment_keys() -> None:
    text = '{\n  "a": "# arclint:ignore ARC101 a value, not a comment",\n  "//": "arclint:ignore ARC302 lab"\n}\n'
    assert comments(text, True) == (Suppression(("ARC302",), 3, "lab", (1, 4)),)
    assert comments('{"//": "see arclint:ignore ARC302"}', True) == ()


def test_json_comment_covers_the_key_that_holds_its_object() -> None:
    text = '{\n  "web":\n  {\n    "x": 1,\n    "//": "arclint:ignore ARC302 lab"\n  }\n}\n'
    assert comments(text, True) == (Suppression(("ARC302",), 5, "lab", (2, 3, 6)),)


# --- file-level --------------------------------------------------------------------------------------------------


def test_file_level_suppression_covers_the_whole_file_only(project) -> None:
    two_vms = (
        vm("# arclint:ignore-file ARC101 lab subscription, torn down nightly\n\n")
        + "\n"
        + VM.replace('"lab"', '"lab2"')
    )
    report = project({"main.tf": two_vms, "other.tf": VM.replace('"lab"', '"other"')}, show_suppressed=True)
    assert brief(report) == [("ARC101", "other.tf", 1, "azurerm_linux_virtual_machine.other", "error")]
    assert [(s.finding.line, s.file, s.line, s.whole_file) for s in report.suppressed] == [
        (3, "main.tf", 1, True),
        (12, "main.tf", 1, True),
    ]


def test_file_level_suppression_in_json(project) -> None:
    text = spot_json().replace("{\n", '{\n  "//": "arclint:ignore-file ARC302 spot lab",\n', 1)
    report = project({"main.tf.json": text})
    assert brief(report) == [("ARC002", "main.tf.json", 5, "aws_instance.legacy", "info")]


def test_file_level_suppression_that_matches_nothing_is_arc003(project) -> None:
    report = project({"main.tf": vm("# arclint:ignore-file ARC302 no spot here\n")})
    assert brief(report, "ARC003") == [("ARC003", "main.tf", 1, "", "warning")]


# --- expiry ------------------------------------------------------------------------------------------------------


def test_suppression_holds_through_its_until_day(project) -> None:
    text = vm(f"# arclint:ignore ARC101 until={AS_OF.isoformat()} lab, removed in December\n")
    report = project({"main.tf": text}, show_suppressed=True)
    assert brief(report) == []
    assert [(s.reason, s.until) for s in report.suppressed] == [("lab, removed in December", AS_OF)]


def test_expired_suppression_returns_the_finding_with_a_note(project) -> None:
    yesterday = AS_OF - datetime.timedelta(days=1)
    report = project({"main.tf": vm(f"# arclint:ignore ARC101 lab until={yesterday.isoformat()}\n")})
    assert brief(report) == [("ARC101", "main.tf", 2, "azurerm_linux_virtual_machine.lab", "error")]
    assert only(report, "ARC101").message == ARC101_MESSAGE.format(line=8) + (
        " (suppression at main.tf:1 expired on 2026-11-26)"
    )


@pytest.mark.parametrize(
    ("until", "problem"),
    [
        ("until=2026-13-01", "until=2026-13-01 is not a date in YYYY-MM-DD form"),
        ("until=31.12.2026", "until=31.12.2026 is not a date in YYYY-MM-DD form"),
        ("until=", "until= is not a date in YYYY-MM-DD form"),
        ("until=2026-12-31 until=2027-12-31", "until= is given more than once"),
    ],
)
def test_malformed_until_never_suppresses_and_says_why(project, until: str, problem: str) -> None:
    report = project({"main.tf": vm(f"# arclint:ignore ARC101 {until} lab\n")})
    assert brief(report) == [("ARC101", "main.tf", 2, "azurerm_linux_virtual_machine.lab", "error")]
    assert only(report, "ARC101").message == ARC101_MESSAGE.format(line=8) + (
        f" (suppression at main.tf:1 not applied: {problem})"
    )


def test_malformed_suppression_that_matches_nothing_is_arc003_saying_why(project) -> None:
    report = project({"main.tf": vm("# arclint:ignore ARC302 until=someday\n# arclint:ignore\n\n")})
    assert brief(report, "ARC003") == [("ARC003", "main.tf", 1, "", "warning"), ("ARC003", "main.tf", 2, "", "warning")]
    messages = [f.message for f in report.findings if f.rule == "ARC003"]
    assert messages == [
        "arclint:ignore ARC302 suppressed nothing; remove it or move it onto (or just above) the block it is meant"
        " for (until=someday is not a date in YYYY-MM-DD form)",
        "arclint:ignore (no rule) suppressed nothing; remove it or move it onto (or just above) the block it is"
        " meant for (it names no rule)",
    ]


# --- governance --------------------------------------------------------------------------------------------------


def test_require_reason_refuses_a_suppression_without_one(project) -> None:
    text = vm("# arclint:ignore ARC101\n") + vm("# arclint:ignore ARC101 lab\n").replace('"lab"', '"lab2"')
    report = project({"main.tf": text}, suppressions=Governance(require_reason=True))
    assert brief(report) == [("ARC101", "main.tf", 2, "azurerm_linux_virtual_machine.lab", "error")]
    assert only(report, "ARC101").message == ARC101_MESSAGE.format(line=8) + (
        " (suppression at main.tf:1 not applied: it gives no reason, and the configuration requires one)"
    )


def test_without_require_reason_a_suppression_needs_no_reason(project) -> None:
    assert brief(project({"main.tf": vm("# arclint:ignore ARC101\n")})) == []


def test_allow_false_refuses_every_inline_suppression(project) -> None:
    text = vm("# arclint:ignore ARC101 lab\n")
    report = project({"main.tf": text, "spot.tf.json": spot_json(inside="arclint:ignore-file ARC302 lab")},
                     suppressions=Governance(allow=False))  # fmt: skip
    assert brief(report) == [
        ("ARC101", "main.tf", 2, "azurerm_linux_virtual_machine.lab", "error"),
        ("ARC002", "spot.tf.json", 4, "aws_instance.legacy", "info"),
        ("ARC302", "spot.tf.json", 4, "aws_instance.legacy", "warning"),
    ]
    assert only(report, "ARC101").message == ARC101_MESSAGE.format(line=8) + (
        " (suppression at main.tf:1 not applied: the configuration allows no inline suppressions)"
    )
    assert only(report, "ARC302").message.endswith(
        " (suppression at spot.tf.json:5 not applied: the configuration allows no inline suppressions)"
    )


def test_allow_false_still_reports_suppressions_that_match_nothing(project) -> None:
    report = project({"main.tf": vm("# arclint:ignore ARC302 no spot here\n")}, suppressions=Governance(allow=False))
    assert brief(report) == [
        ("ARC003", "main.tf", 1, "", "warning"),
        ("ARC101", "main.tf", 2, "azurerm_linux_virtual_machine.lab", "error"),
    ]


@pytest.mark.parametrize("allowed", [("ARC302",), ("arc302",), ("arc-on-spot-capacity",)])
def test_allow_list_lets_only_those_rules_be_suppressed(project, allowed: tuple[str, ...]) -> None:
    files = {
        "main.tf": vm("# arclint:ignore ARC101 lab\n"),
        "spot.tf.json": spot_json(inside="arclint:ignore ARC302 lab"),
    }
    report = project(files, suppressions=Governance(allow=allowed))
    assert brief(report) == [
        ("ARC101", "main.tf", 2, "azurerm_linux_virtual_machine.lab", "error"),
        ("ARC002", "spot.tf.json", 4, "aws_instance.legacy", "info"),
    ]
    assert only(report, "ARC101").message == ARC101_MESSAGE.format(line=8) + (
        " (suppression at main.tf:1 not applied: the configuration does not allow suppressing ARC101)"
    )


def test_allow_list_naming_no_rule_is_an_error(tmp_path: Path) -> None:
    write(tmp_path, {"main.tf": VM})
    with pytest.raises(PolicyError) as exc:
        run_scan(tmp_path, suppressions=Governance(allow=("ARC302", "ARC999", "arc-on-azure-mv")))
    assert str(exc.value) == "suppressions.allow: no rule ARC999, arc-on-azure-mv; `arclint rules` lists them"


# --- --show-suppressed -------------------------------------------------------------------------------------------

SHOWN = {
    "main.tf": vm("# arclint:ignore ARC101 until=2026-12-31 evaluation lab (OPS-1234)\n"),
    "spot.tf.json": spot_json(inside="arclint:ignore-file ARC302"),
}


def test_show_suppressed_text_lists_what_where_and_why(cli, tmp_path: Path) -> None:
    write(tmp_path, SHOWN)
    code, out, err = cli.scan(tmp_path, ".", "--show-suppressed")
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "spot.tf.json:4:1: info ARC002 aws_instance.legacy: cannot tell its OS image: ami = ami-0123456789abcdef0 is an"
        " AMI id, which does not tell its OS; use an aws_ami data source with a name filter",
        "2 suppressed findings:",
        "  main.tf:2:1: error ARC101 " + ARC101_MESSAGE.format(line=8),
        "    suppressed by main.tf:1 (until 2026-12-31): evaluation lab (OPS-1234)",
        "  spot.tf.json:4:1: warning ARC302 aws_instance.legacy connects a machine on spot/preemptible capacity to"
        " Azure Arc; it can be evicted at any time (spot.tf.json:8)",
        "    suppressed by spot.tf.json:5 (whole file): no reason given",
        "1 finding (0 error, 0 warning, 1 info) in 2 files, 2 targets; support matrix 2026-08-20, as of 2026-11-27",
    ]


def test_show_suppressed_text_says_when_nothing_was_suppressed(cli, tmp_path: Path) -> None:
    write(tmp_path, {"main.tf": 'variable "x" {}\n'})
    code, out, _ = cli.scan(tmp_path, ".", "--show-suppressed")
    assert (code, out.splitlines()[0]) == (0, "0 suppressed findings")


def test_text_without_show_suppressed_does_not_list_them(cli, tmp_path: Path) -> None:
    write(tmp_path, SHOWN)
    code, out, _ = cli.scan(tmp_path, ".")
    assert code == 0
    assert "suppressed" not in out


def test_show_suppressed_json_adds_a_suppressed_list(cli, tmp_path: Path) -> None:
    write(tmp_path, SHOWN)
    code, out, err = cli.scan(tmp_path, ".", "--format", "json", "--show-suppressed")
    report = json.loads(out)
    assert (code, err) == (0, "")
    assert list(report) == ["version", "as_of", "findings", "suppressed", "summary", "errors"]
    assert [(s["rule"], s["file"], s["line"], s["suppression"]) for s in report["suppressed"]] == [
        (
            "ARC101",
            "main.tf",
            2,
            {
                "file": "main.tf",
                "line": 1,
                "scope": "block",
                "reason": "evaluation lab (OPS-1234)",
                "until": "2026-12-31",
            },
        ),
        (
            "ARC302",
            "spot.tf.json",
            4,
            {"file": "spot.tf.json", "line": 5, "scope": "file", "reason": "", "until": None},
        ),
    ]
    assert report["suppressed"][0]["message"] == ARC101_MESSAGE.format(line=8)
    assert report["summary"]["error"] == 0


def test_json_without_show_suppressed_keeps_the_contract_shape(cli, tmp_path: Path) -> None:
    write(tmp_path, SHOWN)
    code, report = cli.json(tmp_path)
    assert code == 0
    assert list(report) == ["version", "as_of", "findings", "summary", "errors"]


def test_suppressed_errors_never_fail_the_run_but_refused_ones_do(cli, tmp_path: Path) -> None:
    write(tmp_path, {"main.tf": vm("# arclint:ignore ARC101 lab\n")})
    assert cli.scan(tmp_path, ".")[0] == 0
    write(tmp_path, {"main.tf": vm("# arclint:ignore ARC101 lab until=2026-01-01\n")})
    code, out, _ = cli.scan(tmp_path, ".")
    assert code == 1
    assert out.splitlines()[0] == (
        "main.tf:2:1: error ARC101 "
        + ARC101_MESSAGE.format(line=8)
        + " (suppression at main.tf:1 expired on 2026-01-01)"
    )


def test_show_suppressed_lists_only_the_given_files(cli, tmp_path: Path) -> None:
    write(tmp_path, SHOWN)
    code, out, err = cli.scan(tmp_path, "main.tf", "--show-suppressed")
    assert (code, err) == (0, "")
    assert out.splitlines()[:3] == [
        "1 suppressed finding:",
        "  main.tf:2:1: error ARC101 " + ARC101_MESSAGE.format(line=8),
        "    suppressed by main.tf:1 (until 2026-12-31): evaluation lab (OPS-1234)",
    ]


def test_a_blocks_own_suppression_is_used_before_a_file_level_one(project) -> None:
    text = vm("# arclint:ignore-file ARC101 lab subscription\n\n# arclint:ignore ARC101 this VM\n")
    report = project({"main.tf": text}, show_suppressed=True)
    assert [(s.line, s.reason) for s in report.suppressed] == [(3, "this VM")]
    assert brief(report) == [("ARC003", "main.tf", 1, "", "warning")]
