"""Report formats for CI services: SARIF (validated against the official 2.1.0 schema), GitHub annotations,
JUnit XML, Markdown, GitLab Code Quality, and several formats in one run."""

from __future__ import annotations

import datetime
import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from arclint.cli import FORMATS
from arclint.findings import Finding, Report
from arclint.model.facts import Evidence
from arclint.report import REPORTERS
from arclint.report.github import escape_data, escape_property
from arclint.report.markdown import render as markdown

from conftest import FIXTURES, REPO, Cli, write

EXAMPLES_BAD = REPO / "examples" / "bad"
SARIF_SCHEMA = REPO.parent / "shared" / "data" / "sarif-schema-2.1.0.json"

# examples/bad from its own folder: (rule, file, line, end line, severity)
BAD_FINDINGS = [
    ("ARC201", "packer/centos7-legacy.json", 7, 15, "error"),
    ("ARC402", "packer/centos7-legacy.json", 7, 15, "error"),
    ("ARC201", "packer/ubuntu-golden.pkr.hcl", 39, 52, "error"),
    ("ARC402", "terraform/aws.tf", 32, 37, "error"),
    ("ARC403", "terraform/aws.tf", 40, 45, "error"),
    ("ARC302", "terraform/aws.tf", 48, 56, "warning"),
    ("ARC301", "terraform/aws.tf", 66, 76, "warning"),
    ("ARC101", "terraform/azure.tf", 7, 34, "error"),
    ("ARC102", "terraform/azure.tf", 37, 71, "error"),
    ("ARC101", "terraform/modules/web-server/main.tf", 23, 41, "error"),
]


def _sarif(cli: Cli, folder: Path, *args: str) -> tuple[int, dict[str, Any]]:
    code, out, err = cli.scan(folder, ".", "--format", "sarif", *args)
    assert err == ""
    return code, json.loads(out)


def _schema_errors(log: dict[str, Any]) -> list[str]:
    """What the official SARIF 2.1.0 schema says is wrong with ``log`` (validated with the schema's own draft)."""
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    return [e.message for e in cls(schema, format_checker=cls.FORMAT_CHECKER).iter_errors(log)]


def _enabled_rules(cli: Cli, *args: str) -> list[str]:
    code, out, _ = cli("rules", *args)
    assert code == 0
    return sorted(line.split()[0] for line in out.splitlines() if line.split()[2] != "disabled")


# --- every format is registered and offered --------------------------------------------------------------------


def test_the_command_line_offers_every_reporter() -> None:
    assert sorted(FORMATS) == sorted(REPORTERS) == ["github", "gitlab", "json", "junit", "markdown", "sarif", "text"]


# --- SARIF -----------------------------------------------------------------------------------------------------


@pytest.mark.skipif(not SARIF_SCHEMA.exists(), reason=f"the official SARIF schema is not at {SARIF_SCHEMA}")
def test_sarif_of_examples_bad_validates_against_the_official_schema(cli: Cli) -> None:
    code, log = _sarif(cli, EXAMPLES_BAD)
    assert code == 1
    assert _schema_errors(log) == []
    assert log["version"] == "2.1.0"


def test_sarif_results_have_regions_relative_uris_and_the_right_levels(cli: Cli) -> None:
    _, log = _sarif(cli, EXAMPLES_BAD)
    (run,) = log["runs"]
    assert run["originalUriBaseIds"] == {"%SRCROOT%": {"description": {"text": "The folder arclint ran in."}}}
    results = run["results"]
    got = []
    for r in results:
        (location,) = r["locations"]
        physical = location["physicalLocation"]
        assert physical["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        got.append(
            (
                r["ruleId"],
                physical["artifactLocation"]["uri"],
                physical["region"]["startLine"],
                physical["region"]["endLine"],
                r["level"],
            )
        )
    assert got == BAD_FINDINGS
    related = [loc for r in results for loc in r["relatedLocations"]]
    assert related and all(loc["physicalLocation"]["artifactLocation"]["uriBaseId"] == "%SRCROOT%" for loc in related)
    assert all("region" in loc["physicalLocation"] for loc in related)
    uris = [loc["physicalLocation"]["artifactLocation"]["uri"] for r in results for loc in r["locations"]]
    uris += [loc["physicalLocation"]["artifactLocation"]["uri"] for loc in related]
    assert [u for u in uris if u.startswith(("/", "file:")) or ":" in u or u.startswith("..")] == []
    assert results[7]["relatedLocations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "terraform/scripts/onboard-arc.sh.tftpl", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 17, "endLine": 17},
    }


def test_sarif_describes_every_rule_that_ran_once(cli: Cli) -> None:
    _, log = _sarif(cli, EXAMPLES_BAD, "--ignore", "ARC5")
    driver = log["runs"][0]["tool"]["driver"]
    assert [r["id"] for r in driver["rules"]] == _enabled_rules(cli, "--ignore", "ARC5")
    assert len(driver["rules"]) < len(_enabled_rules(cli))
    assert not any(r["id"].startswith("ARC5") for r in driver["rules"])
    by_id = {r["id"]: r for r in driver["rules"]}
    assert by_id["ARC101"] == {
        "id": "ARC101",
        "name": "arc-on-azure-vm",
        "shortDescription": {"text": by_id["ARC101"]["shortDescription"]["text"]},
        "fullDescription": {"text": by_id["ARC101"]["fullDescription"]["text"]},
        "help": by_id["ARC101"]["help"],
        "helpUri": "https://learn.microsoft.com/azure/azure-arc/servers/plan-evaluate-on-azure-virtual-machine",
        "defaultConfiguration": {"level": "error"},
    }
    assert by_id["ARC101"]["fullDescription"]["text"] != by_id["ARC101"]["shortDescription"]["text"]
    assert by_id["ARC101"]["help"]["text"].endswith(f"See {by_id['ARC101']['helpUri']}")
    assert by_id["ARC002"]["defaultConfiguration"] == {"level": "note"}
    assert by_id["ARC302"]["defaultConfiguration"] == {"level": "warning"}
    results = log["runs"][0]["results"]
    assert all(driver["rules"][r["ruleIndex"]]["id"] == r["ruleId"] for r in results)


def test_sarif_invocation_carries_the_exit_code(cli: Cli) -> None:
    _, bad = _sarif(cli, EXAMPLES_BAD)
    assert bad["runs"][0]["invocations"] == [{"executionSuccessful": True, "exitCode": 1}]
    code, info = _sarif(cli, FIXTURES / "rules" / "ARC002" / "bad")
    assert code == 0
    assert info["runs"][0]["invocations"] == [{"executionSuccessful": True, "exitCode": 0}]
    assert [r["level"] for r in info["runs"][0]["results"]] == ["note", "note", "note"]
    code, warned = _sarif(cli, EXAMPLES_BAD, "--fail-on", "error")
    assert code == 1 and warned["runs"][0]["invocations"][0]["exitCode"] == 1


VM = """\
resource "azurerm_linux_virtual_machine" "app" {
  name                = "app"
  size                = "Standard_B2s"
  source_image_reference {
    publisher = "Canonical"
    offer     = "0001-com-ubuntu-server-jammy"
    sku       = "22_04-lts-gen2"
    version   = "latest"
  }
  custom_data = base64encode(file("${path.module}/onboard.sh"))
}
"""
SCRIPT = "#!/bin/bash\nazcmagent connect --resource-group rg --location westeurope\n"


def _fingerprints(cli: Cli, folder: Path) -> list[tuple[str, int, str]]:
    _, log = _sarif(cli, folder)
    return [
        (
            r["ruleId"],
            r["locations"][0]["physicalLocation"]["region"]["startLine"],
            r["partialFingerprints"]["arclint/v1"],
        )
        for r in log["runs"][0]["results"]
    ]


def test_sarif_fingerprints_survive_moved_lines_and_reformatting(cli: Cli, tmp_path: Path) -> None:
    write(tmp_path, {"main.tf": VM, "onboard.sh": SCRIPT})
    before = _fingerprints(cli, tmp_path)
    assert [(rule, line) for rule, line, _ in before] == [("ARC101", 1)]
    moved_script = "#!/bin/bash\n\n# onboard\nazcmagent  connect --resource-group rg   --location westeurope\n"
    write(tmp_path, {"main.tf": "# a comment\n\n" + VM, "onboard.sh": moved_script})
    after = _fingerprints(cli, tmp_path)
    assert [(rule, line) for rule, line, _ in after] == [("ARC101", 3)]
    assert after[0][2] == before[0][2]
    write(tmp_path, {"main.tf": VM.replace('"app" {', '"api" {')})
    assert _fingerprints(cli, tmp_path)[0][2] != before[0][2]


# --- GitHub annotations ----------------------------------------------------------------------------------------


def test_github_annotations_are_the_default_in_github_actions_and_point_at_the_real_lines(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    code, out, err = cli.scan(EXAMPLES_BAD, ".")
    assert (code, err) == (1, "")
    lines = out.splitlines()
    assert lines[-1].startswith("10 findings (8 error, 2 warning, 0 info) in 10 files, 12 targets;")
    got = []
    for line in lines[:-1]:
        command, properties, _ = line.split(" ", 1)[0], line.split(" ", 1)[1].split("::", 1)[0], None
        fields = dict(item.split("=", 1) for item in properties.split(","))
        level = {"::error": "error", "::warning": "warning"}[command]
        got.append((fields["title"].split()[0], fields["file"], int(fields["line"]), int(fields["endLine"]), level))
    assert got == BAD_FINDINGS
    for rule, file, line, _, _ in got:  # the line is where the resource, source or build block starts
        text = (EXAMPLES_BAD / file).read_text(encoding="utf-8").splitlines()[line - 1]
        assert text.lstrip().startswith(("resource ", "source ", "build ", '"builders"', "{")), (rule, text)
    assert lines[7] == (
        "::error file=terraform/azure.tf,line=7,endLine=34,title=ARC101 arc-on-azure-vm::"
        "azurerm_linux_virtual_machine.app runs the Azure Connected Machine agent on an Azure VM, where it is not"
        " supported outside a complete evaluation setup (terraform/scripts/onboard-arc.sh.tftpl:17)%0A"
        'terraform/scripts/onboard-arc.sh.tftpl:17: sudo azcmagent connect --resource-group "$resourceGroup"'
        ' --tenant-id "$tenantId" --location "$location" --subscription-id "$subscriptionId" --cloud "$cloud"'
        ' --correlation-id "$correlationId"'
    )


def test_github_actions_keeps_an_explicit_format(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    code, out, _ = cli.scan(EXAMPLES_BAD, ".", "--format", "text")
    assert code == 1 and out.startswith("packer/centos7-legacy.json:7:1: error ARC201 ")
    monkeypatch.setenv("GITHUB_ACTIONS", "false")
    assert cli.scan(EXAMPLES_BAD, ".")[1].startswith("packer/centos7-legacy.json:7:1: error ARC201 ")


def test_github_escapes_what_the_runner_requires() -> None:
    assert escape_data("50% done\r\nnext: a, b") == "50%25 done%0D%0Anext: a, b"
    assert escape_property("dir:a,b%\nc") == "dir%3Aa%2Cb%25%0Ac"


# --- JUnit ------------------------------------------------------------------------------------------------------


def test_junit_has_one_case_per_target_and_rule_and_a_failure_per_failing_case(cli: Cli) -> None:
    code, out, _ = cli.scan(EXAMPLES_BAD, ".", "--format", "junit")
    assert code == 1
    root = ET.fromstring(out)
    assert root.tag == "testsuites"
    suites = root.findall("testsuite")
    cases = [case for suite in suites for case in suite.findall("testcase")]
    assert all(child.tag == "testcase" for suite in suites for child in suite)
    assert int(root.get("tests", "")) == len(cases) == sum(int(s.get("tests", "")) for s in suites)
    failing = [c for c in cases if c.find("failure") is not None]
    assert int(root.get("failures", "")) == len(failing) == 10
    assert sorted((c.get("file"), c.get("name", "").split()[0]) for c in failing) == sorted(
        (file, rule) for rule, file, *_ in BAD_FINDINGS
    )
    keys = [(c.get("classname"), c.get("name")) for c in cases]
    assert len(keys) == len(set(keys))  # one case per target and rule
    app = [c for c in cases if c.get("classname") == "azurerm_linux_virtual_machine.app"]
    assert "ARC101 arc-on-azure-vm" in [c.get("name") for c in app]
    assert "ARC201 arc-connected-in-image" not in [c.get("name") for c in app]  # image builds only
    (arc101,) = [c for c in app if c.get("name") == "ARC101 arc-on-azure-vm"]
    failure = arc101.find("failure")
    assert failure is not None and failure.get("type") == "error"
    assert failure.get("message", "").startswith("azurerm_linux_virtual_machine.app runs the Azure Connected")
    assert (failure.text or "").splitlines()[1] == (
        "    terraform/scripts/onboard-arc.sh.tftpl:17: sudo azcmagent connect --resource-group"
        ' "$resourceGroup" --tenant-id "$tenantId" --location "$location" --subscription-id "$subscriptionId"'
        ' --cloud "$cloud" --correlation-id "$correlationId"'
    )


def test_junit_reports_an_unparsable_file_as_its_own_failing_case(cli: Cli, tmp_path: Path) -> None:
    write(tmp_path, {"broken.tf": 'resource "aws_instance" "web" {\n'})
    code, out, _ = cli.scan(tmp_path, ".", "--format", "junit")
    assert code == 1
    root = ET.fromstring(out)
    (suite,) = root.findall("testsuite")
    (case,) = suite.findall("testcase")
    assert (suite.get("name"), case.get("classname"), case.get("name")) == (
        "broken.tf",
        "broken.tf",
        "ARC001 file-not-parsed",
    )
    assert case.find("failure") is not None


# --- GitLab Code Quality ---------------------------------------------------------------------------------------


def test_gitlab_code_quality_shape(cli: Cli) -> None:
    code, out, _ = cli.scan(EXAMPLES_BAD, ".", "--format", "gitlab")
    assert code == 1
    issues = json.loads(out)
    assert [(i["check_name"].split()[0], i["location"]["path"], i["location"]["lines"]["begin"]) for i in issues] == [
        (rule, file, line) for rule, file, line, _, _ in BAD_FINDINGS
    ]
    assert [i["severity"] for i in issues] == ["major" if s == "error" else "minor" for *_, s in BAD_FINDINGS]
    first = issues[0]
    assert list(first) == ["description", "check_name", "fingerprint", "severity", "location"]
    assert first["check_name"] == "ARC201 arc-connected-in-image"
    assert first["description"].startswith("ARC201 source.vsphere-iso.centos7 connects the Azure Connected")
    assert first["location"] == {"path": "packer/centos7-legacy.json", "lines": {"begin": 7}}
    fingerprints = [i["fingerprint"] for i in issues]
    assert len(set(fingerprints)) == len(fingerprints) and all(len(f) == 32 for f in fingerprints)
    _, log = _sarif(cli, EXAMPLES_BAD)
    assert fingerprints == [r["partialFingerprints"]["arclint/v1"] for r in log["runs"][0]["results"]]


def test_gitlab_maps_info_to_info(cli: Cli) -> None:
    code, out, _ = cli.scan(FIXTURES / "rules" / "ARC002" / "bad", ".", "--format", "gitlab")
    assert code == 0 and [i["severity"] for i in json.loads(out)] == ["info", "info", "info"]


# --- Markdown ---------------------------------------------------------------------------------------------------


def _finding(rule: str, severity: str, message: str, line: int) -> Finding:
    return Finding(
        rule=rule,
        name="a-name",
        severity=severity,
        message=message,
        file="main.tf",
        line=line,
        end_line=line + 2,
        resource="aws_instance.a",
        remediation="",
        docs="",
        evidence=(Evidence("main.tf", line, "x"),),
    )


def test_markdown_summary_table_is_exact_and_escapes_pipes() -> None:
    report = Report(
        datetime.date(2026, 11, 27),
        "2026-08-20",
        [
            _finding("ARC101", "error", "runs `a | b` on <VM> & more", 3),
            _finding("ARC002", "info", "cannot tell\nthe OS", 9),
        ],
        [],
        1,
        1,
    )
    assert markdown(report) == (
        "## arclint\n"
        "\n"
        "**2 findings**: 1 error, 0 warning, 1 info in 1 files, 1 targets (support matrix 2026-08-20, as of"
        " 2026-11-27)\n"
        "\n"
        "| rule | severity | file:line | resource | message |\n"
        "| --- | --- | --- | --- | --- |\n"
        "| ARC101 a-name | error | `main.tf:3` | aws_instance.a | runs `a \\| b` on &lt;VM> &amp; more |\n"
        "| ARC002 a-name | info | `main.tf:9` | aws_instance.a | cannot tell<br>the OS |\n"
    )


def test_markdown_without_findings_has_only_the_counts(cli: Cli) -> None:
    code, out, _ = cli.scan(FIXTURES / "rules" / "ARC402" / "good", ".", "--format", "markdown")
    assert code == 0
    assert out.startswith("## arclint\n\n**0 findings**: 0 error, 0 warning, 0 info in ")
    assert "|" not in out


# --- several formats in one run ----------------------------------------------------------------------------------


def test_several_formats_in_one_run(cli: Cli, tmp_path: Path) -> None:
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    sarif, junit = out_dir / "arclint.sarif", out_dir / "junit.xml"
    code, out, err = cli.scan(
        EXAMPLES_BAD, ".", "--format", "text", "--format", f"sarif:{sarif}", "--format", f"junit:{junit}"
    )
    assert (code, err) == (1, "")
    assert out == cli.scan(EXAMPLES_BAD, ".")[1]
    assert json.loads(sarif.read_text()) == _sarif(cli, EXAMPLES_BAD)[1]
    assert junit.read_text() == cli.scan(EXAMPLES_BAD, ".", "--format", "junit")[1]
    assert sorted(p.name for p in out_dir.iterdir()) == ["arclint.sarif", "junit.xml"]  # no temporary files left


def test_only_files_means_nothing_on_standard_output(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "r.json"
    code, out, _ = cli.scan(EXAMPLES_BAD, ".", "--format", f"json:{target}")
    assert (code, out) == (1, "")
    assert json.loads(target.read_text())["summary"]["error"] == 8


def test_output_option_writes_the_format_without_a_file(cli: Cli, tmp_path: Path) -> None:
    text, sarif = tmp_path / "r.txt", tmp_path / "r.sarif"
    code, out, _ = cli.scan(EXAMPLES_BAD, ".", "--format", "text", "--format", f"sarif:{sarif}", "-o", str(text))
    assert (code, out) == (1, "")
    assert text.read_text() == cli.scan(EXAMPLES_BAD, ".")[1]
    assert json.loads(sarif.read_text())["version"] == "2.1.0"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--format", "text", "--format", "json"), "at most one --format may go to standard output"),
        (("--format", "xml"), "'xml' is not one of text, json, sarif, github, junit, markdown, gitlab"),
        (("--format", "sarif:"), "'sarif:' names no file after ':'"),
        (("--format", "sarif:r.out", "--format", "json:r.out"), "two formats name the same file"),
    ],
)
def test_bad_format_options_exit_2(cli: Cli, args: tuple[str, ...], message: str) -> None:
    code, out, err = cli.scan(EXAMPLES_BAD, ".", *args)
    assert (code, out) == (2, "")
    assert message in err and "Traceback" not in err


def test_output_option_with_every_format_in_a_file_exits_2(cli: Cli, tmp_path: Path) -> None:
    code, out, err = cli.scan(EXAMPLES_BAD, ".", "--format", f"json:{tmp_path / 'a'}", "-o", str(tmp_path / "b"))
    assert (code, out) == (2, "")
    assert err == "arclint: -o/--output: every --format names its own file (FMT:FILE); drop -o or a FILE\n"
    assert list(tmp_path.iterdir()) == []


def test_a_report_file_that_cannot_be_written_exits_2(cli: Cli, tmp_path: Path) -> None:
    missing = tmp_path / "no-such-folder" / "r.sarif"
    code, out, err = cli.scan(EXAMPLES_BAD, ".", "--format", "text", "--format", f"sarif:{missing}")
    assert (code, out) == (2, "")
    assert err.startswith(f"arclint: cannot write {missing}: ")


def test_junit_replaces_characters_xml_forbids() -> None:
    from arclint.report.junit import render as junit

    report = Report(
        datetime.date(2026, 11, 27), "2026-08-20", [_finding("ARC101", "error", "bell\x07 here", 3)], [], 1, 1
    )
    root = ET.fromstring(junit(report))
    failure = root.find("testsuite/testcase/failure")
    assert failure is not None and failure.get("message") == "bell\ufffd here"


def test_output_option_naming_a_format_file_exits_2(cli: Cli, tmp_path: Path) -> None:
    same = tmp_path / "r.out"
    code, out, err = cli.scan(EXAMPLES_BAD, ".", "--format", "text", "--format", f"sarif:{same}", "-o", str(same))
    assert (code, out) == (2, "")
    assert err == f"arclint: -o/--output: {same} is also the FILE of a --format\n"


def test_sarif_uris_are_percent_encoded(cli: Cli, tmp_path: Path) -> None:
    write(tmp_path, {"my vms/main.tf": VM, "my vms/onboard.sh": SCRIPT})
    _, log = _sarif(cli, tmp_path)
    (result,) = log["runs"][0]["results"]
    assert result["locations"][0]["physicalLocation"]["artifactLocation"] == {
        "uri": "my%20vms/main.tf",
        "uriBaseId": "%SRCROOT%",
    }


def test_fingerprint_text_drops_line_references_and_collapses_whitespace() -> None:
    from arclint.baseline import normalise

    assert normalise("a.vm  connects\n (scripts/x.sh:17) at main.tf:3:9") == "a.vm connects()at"
    assert normalise("a = b  line 12") == normalise("a=b line 3")


def test_sarif_lists_what_was_not_scanned_as_notifications(cli: Cli, tmp_path: Path) -> None:
    write(tmp_path, {"package.json": '{"name": "x"}'})
    code, out, _ = cli("scan", "package.json", "--format", "sarif", cwd=tmp_path)
    assert code == 0
    if SARIF_SCHEMA.exists():
        assert _schema_errors(json.loads(out)) == []
    assert json.loads(out)["runs"][0]["invocations"] == [
        {
            "executionSuccessful": True,
            "exitCode": 0,
            "toolExecutionNotifications": [
                {
                    "level": "warning",
                    "message": {
                        "text": 'package.json: a JSON file that is not a Packer template (no "builders"); skipped'
                    },
                }
            ],
        }
    ]


def test_sarif_shows_suppressed_findings_as_suppressed_results_when_asked(cli: Cli, tmp_path: Path) -> None:
    write(tmp_path, {"main.tf": "# arclint:ignore ARC101 lab machine\n" + VM, "onboard.sh": SCRIPT})
    code, log = _sarif(cli, tmp_path)
    assert code == 0 and log["runs"][0]["results"] == []
    code, log = _sarif(cli, tmp_path, "--show-suppressed")
    assert code == 0
    if SARIF_SCHEMA.exists():
        assert _schema_errors(log) == []
    (result,) = log["runs"][0]["results"]
    assert (result["ruleId"], result["locations"][0]["physicalLocation"]["region"]["startLine"]) == ("ARC101", 2)
    assert result["suppressions"] == [
        {
            "kind": "inSource",
            "location": {
                "physicalLocation": {
                    "artifactLocation": {"uri": "main.tf", "uriBaseId": "%SRCROOT%"},
                    "region": {"startLine": 1, "endLine": 1},
                }
            },
            "justification": "lab machine",
        }
    ]


def test_markdown_embeds_the_image_diagram_when_builds_feed_machines(cli: Cli) -> None:
    code, out, _ = cli.scan(REPO / "examples" / "good", ".", "--format", "markdown")
    assert code == 0
    assert out.endswith(
        "Image builds, images and the machines made from them:\n\n```mermaid\nflowchart LR\n"
        '  n0[["build.ubuntu-base<br/>image-build"]]\n'
        '  n1[("base-ubuntu-22.04-*<br/>ami")]\n'
        '  n2["aws_instance.erp<br/>machine"]\n'
        "  n0 --> n1\n  n1 --> n2\n```\n"
    )


def test_markdown_has_no_diagram_without_links(cli: Cli) -> None:
    assert "mermaid" not in cli.scan(FIXTURES / "rules" / "ARC402" / "bad", ".", "--format", "markdown")[1]
