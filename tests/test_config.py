"""The configuration file (.arclint.yaml, [tool.arclint] in pyproject.toml), rule selection and severities,
`arclint config`, `arclint init`, and `rules`/`explain` reading the same configuration."""

from __future__ import annotations

import datetime
import json
import shutil
from pathlib import Path

import pytest
from arclint.config import STARTER, ConfigError, load, read, starter
from arclint.policy import SelectionError, configure, load_policies
from arclint.suppress import Governance

from conftest import FIXTURES, REPO, Brief, Cli, brief, run_scan, write

# examples/bad as of AS_OF (rule, file, line, resource, severity)
BAD: list[Brief] = [
    ("ARC201", "packer/centos7-legacy.json", 7, "source.vsphere-iso.centos7", "error"),
    ("ARC402", "packer/centos7-legacy.json", 7, "source.vsphere-iso.centos7", "error"),
    ("ARC201", "packer/ubuntu-golden.pkr.hcl", 39, "build.ubuntu-golden", "error"),
    ("ARC402", "terraform/aws.tf", 32, "aws_instance.legacy", "error"),
    ("ARC403", "terraform/aws.tf", 40, "aws_instance.api", "error"),
    ("ARC302", "terraform/aws.tf", 48, "aws_instance.batch", "warning"),
    ("ARC301", "terraform/aws.tf", 66, "aws_autoscaling_group.web", "warning"),
    ("ARC101", "terraform/azure.tf", 7, "azurerm_linux_virtual_machine.app", "error"),
    ("ARC102", "terraform/azure.tf", 37, "azurerm_linux_virtual_machine.arc_lab", "error"),
    ("ARC101", "terraform/modules/web-server/main.tf", 23, "module.web.azurerm_linux_virtual_machine.this", "error"),
]


@pytest.fixture
def bad(tmp_path: Path) -> Path:
    """A copy of examples/bad (a configuration written into it must not touch the repository)."""
    return Path(shutil.copytree(REPO / "examples" / "bad", tmp_path / "bad"))


def _as(rows: list[Brief], rule: str, severity: str) -> list[Brief]:
    return [(r, f, line, res, severity if r == rule else sev) for r, f, line, res, sev in rows]


# --- done when -------------------------------------------------------------------------------------------


def test_examples_bad_without_configuration(cli: Cli, bad: Path) -> None:
    assert brief(cli.json(bad)[1]) == BAD


def test_ignore_in_the_file_removes_the_rule(cli: Cli, bad: Path) -> None:
    write(bad, {".arclint.yaml": "ignore: [ARC101]\n"})
    code, report = cli.json(bad)
    assert code == 1
    assert brief(report) == [row for row in BAD if row[0] != "ARC101"]


def test_severity_in_the_file_holds_for_every_finding_of_the_rule(cli: Cli, bad: Path) -> None:
    # ARC402 is an error past the end of support (the check's own severity); the configuration's wins
    write(bad, {".arclint.yaml": "severity: {ARC402: warning}\n"})
    assert brief(cli.json(bad)[1]) == _as(BAD, "ARC402", "warning")


def test_the_command_line_overrides_the_file(cli: Cli, bad: Path) -> None:
    write(bad, {".arclint.yaml": "ignore: [ARC101]\nseverity: {ARC402: warning}\n"})
    code, out, err = cli.scan(bad, ".", "--format", "json", "--ignore", "ARC2,ARC3", "--severity", "ARC402=info")
    assert (code, err) == (1, "")
    expected = [row for row in _as(BAD, "ARC402", "info") if row[0][:4] not in ("ARC2", "ARC3")]
    assert brief(json.loads(out)) == expected
    assert ("ARC101", "terraform/azure.tf", 7, "azurerm_linux_virtual_machine.app", "error") in expected


def test_select_a_prefix_keeps_exactly_those_rules_and_file_not_parsed(cli: Cli, tmp_path: Path) -> None:
    folder = Path(shutil.copytree(REPO / "examples" / "bad", tmp_path / "bad"))
    shutil.copy(FIXTURES / "rules" / "ARC001" / "bad" / "broken.tf", folder / "terraform" / "broken.tf")
    write(folder, {".arclint.yaml": "select: [ARC4]\n"})
    assert [r[:3] for r in brief(cli.json(folder)[1])] == [
        ("ARC402", "packer/centos7-legacy.json", 7),
        ("ARC402", "terraform/aws.tf", 32),
        ("ARC403", "terraform/aws.tf", 40),
        ("ARC001", "terraform/broken.tf", 4),
    ]
    write(folder, {".arclint.yaml": "select: [ARC4]\nignore: [ARC001]\n"})
    assert sorted({r[0] for r in brief(cli.json(folder)[1])}) == ["ARC402", "ARC403"]


def test_unknown_key_and_wrong_type_exit_2_naming_the_key_path(cli: Cli, bad: Path) -> None:
    write(
        bad,
        {
            ".arclint.yaml": (
                "selec: [ARC101]\nexplore: 'yes'\nseverity: {ARC402: fatal}\n"
                "suppressions: {allow: [ARC1 01], reason: true}\n"
            )
        },
    )
    code, out, err = cli.scan(bad)
    assert (code, out) == (2, "")
    assert err.splitlines() == [
        "arclint: .arclint.yaml: at explore: 'yes' is not of type 'boolean'",
        "arclint: .arclint.yaml: at selec: unknown key; did you mean 'select'? (known: as-of, cache, exclude,"
        " explore, fail-on, ignore, policy-dirs, select, severity, support-matrix, suppressions, var-files)",
        "arclint: .arclint.yaml: at severity.ARC402: 'fatal' is not one of ['error', 'warning', 'info']",
        "arclint: .arclint.yaml: at suppressions.allow[0]: 'ARC1 01' is not a rule id, id prefix or rule name",
        "arclint: .arclint.yaml: at suppressions.reason: unknown key; did you mean 'require-reason'?"
        " (known: allow, require-reason)",
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("- ARC101\n", "at (top level): ['ARC101'] is not of type 'object'"),
        ("select: ARC101\n", "at select: 'ARC101' is not of type 'array'"),
        ("fail-on: info\n", "at fail-on: 'info' is not one of ['warning', 'error']"),
        ("as-of: '2026-02-30'\n", "at as-of: '2026-02-30' is not a date in YYYY-MM-DD form"),
        ("as-of: 26-1-1\n", "at as-of: '26-1-1' is not a date in YYYY-MM-DD form"),
        ("as-of: '20261127'\n", "at as-of: '20261127' is not a date in YYYY-MM-DD form"),
        ("as-of: 2026-02-30\n", "not valid YAML (day is out of range for month (a date-like value that is no date?))"),
        ("support-matrix: 1999-01-01\n", "at support-matrix: no edition '1999-01-01' (known: 2025-09-16, 2026-08-20)"),
        (
            "var-files: [none.tfvars]\n",
            "at var-files[0]: no such file: none.tfvars (paths are relative to the file's folder)",
        ),
        ("policy-dirs: [none]\n", "at policy-dirs[0]: no such folder: none (paths are relative to the file's folder)"),
        ("severity: {'ARC 4': info}\n", "at severity: 'ARC 4' is not a rule id, id prefix or rule name"),
        ("select: [\n", "line 2: not valid YAML (did not find expected node content)"),
    ],
)
def test_each_problem_is_exit_2_naming_file_and_key(cli: Cli, tmp_path: Path, text: str, message: str) -> None:
    write(tmp_path, {".arclint.yaml": text, "main.tf": ""})
    code, out, err = cli.scan(tmp_path)
    assert (code, out, err) == (2, "", f"arclint: .arclint.yaml: {message}\n")


def test_a_selector_that_names_no_rule_is_exit_2_naming_where_it_was_written(cli: Cli, bad: Path) -> None:
    write(bad, {".arclint.yaml": "select: [ARC4, ARC9O]\n"})
    problem = (
        "no rule matches 'ARC9O' (a rule id such as ARC101, an id prefix such as ARC4, or a rule name;"
        " `arclint rules` lists them)"
    )
    assert cli.scan(bad) == (2, "", f"arclint: .arclint.yaml: at select: {problem}\n")
    assert cli.scan(bad, "--select", "ARC4", "--severity", "ARC9O=info") == (2, "", f"arclint: --severity: {problem}\n")
    assert cli("config", cwd=bad) == (2, "", f"arclint: .arclint.yaml: at select: {problem}\n")
    assert cli("rules", cwd=bad) == (2, "", f"arclint: .arclint.yaml: at select: {problem}\n")


# --- finding the file --------------------------------------------------------------------------------------


def test_pyproject_tool_arclint_is_read_and_dates_may_be_toml_dates(cli: Cli, tmp_path: Path) -> None:
    write(
        tmp_path,
        {"pyproject.toml": '[project]\nname = "x"\n\n[tool.arclint]\nignore = ["ARC101"]\nas-of = 2025-01-01\n'},
    )
    configuration = load(Path("."), tmp_path)
    assert configuration.file == "pyproject.toml"
    assert configuration.value("ignore") == ["ARC101"]
    assert configuration.value("as-of") == datetime.date(2025, 1, 1)
    assert configuration.settings["as-of"].source == "pyproject.toml"


def test_arclint_yaml_wins_over_pyproject_in_one_folder(tmp_path: Path) -> None:
    write(tmp_path, {".arclint.yaml": "ignore: [ARC2]\n", "pyproject.toml": '[tool.arclint]\nignore = ["ARC1"]\n'})
    assert load(Path("."), tmp_path).value("ignore") == ["ARC2"]
    (tmp_path / ".arclint.yaml").unlink()
    write(tmp_path, {".arclint.yml": "ignore: [ARC3]\n"})
    assert load(Path("."), tmp_path).value("ignore") == ["ARC3"]


def test_found_walking_up_from_the_scan_root_and_the_first_found_wins(cli: Cli, tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            ".arclint.yaml": "ignore: [ARC301]\n",  # above the project: the walk reaches it
            "repo/pyproject.toml": '[project]\nname = "arclint-user"\n',  # mentions arclint, configures nothing
            "repo/infra/aws.tf": (FIXTURES / "rules" / "ARC301" / "bad" / "aws.tf").read_text(),
            "repo/infra/scripts/onboard-arc.sh": (
                FIXTURES / "rules" / "ARC301" / "bad" / "scripts" / "onboard-arc.sh"
            ).read_text(),
            "elsewhere/.arclint.yaml": "ignore: [ARC1]\n",  # the current folder's file is not the scan root's
        },
    )
    code, report = cli.json(tmp_path / "elsewhere", str(tmp_path / "repo" / "infra"))
    assert (code, report["findings"]) == (0, [])
    write(tmp_path, {"repo/.arclint.yaml": "severity: {ARC301: info}\n"})  # nearer: the outer one is not read
    code, report = cli.json(tmp_path / "elsewhere", str(tmp_path / "repo" / "infra"))
    assert code == 0
    assert {(f["rule"], f["severity"]) for f in report["findings"]} == {("ARC301", "info")}


def test_config_option_names_the_file_and_paths_are_relative_to_it(cli: Cli, tmp_path: Path) -> None:
    vars_tf = 'variable "vm_size" {\n  type = string\n}\n'
    write(
        tmp_path,
        {
            "settings/team.yaml": "var-files: [prod.tfvars]\nfail-on: error\n",
            "settings/prod.tfvars": 'vm_size = "x"\n',
            "project/vars.tf": vars_tf,
        },
    )
    configuration = load(Path("."), tmp_path / "project", tmp_path / "settings" / "team.yaml")
    assert configuration.file == str(tmp_path / "settings" / "team.yaml")
    assert configuration.value("var-files") == [tmp_path / "settings" / "prod.tfvars"]
    code, out, err = cli.scan(tmp_path / "project", "--config", "../settings/team.yaml")
    assert (code, err) == (0, "")
    assert cli.scan(tmp_path / "project", "--config", "missing.yaml")[0] == 2


def test_a_broken_pyproject_that_mentions_arclint_is_exit_2_one_that_does_not_is_passed_over(
    cli: Cli, tmp_path: Path
) -> None:
    write(tmp_path, {"pyproject.toml": "[tool.black\n", "main.tf": ""})
    assert cli.scan(tmp_path)[0] == 0
    write(tmp_path, {"pyproject.toml": "[tool.arclint\n"})
    code, out, err = cli.scan(tmp_path)
    assert (code, out) == (2, "")
    assert err.startswith("arclint: pyproject.toml: not valid TOML (")


def test_a_toml_file_given_without_the_table_is_exit_2(tmp_path: Path) -> None:
    write(tmp_path, {"other.toml": "[tool.ruff]\nline-length = 100\n# arclint\n"})
    with pytest.raises(ConfigError, match=r"^other.toml: has no \[tool.arclint\] table$"):
        load(Path("."), tmp_path, Path("other.toml"))


def test_suppression_governance_reaches_the_scan_options(tmp_path: Path) -> None:
    write(tmp_path, {".arclint.yaml": "suppressions: {require-reason: true, allow: [ARC101]}\n"})
    assert load(Path("."), tmp_path).options()["suppressions"] == Governance(require_reason=True, allow=("ARC101",))
    write(tmp_path, {".arclint.yaml": "suppressions: {allow: false}\n"})
    assert load(Path("."), tmp_path).options()["suppressions"] == Governance(require_reason=False, allow=False)


# --- arclint config ------------------------------------------------------------------------------------


def test_config_prints_the_effective_configuration_and_where_each_value_came_from(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CI")  # outside CI, where the cache is on by default
    write(
        tmp_path,
        {
            "team/.arclint.yaml": (
                "ignore: [ARC101]\nseverity: {ARC402: warning}\nexclude: ['*.gen.tf']\npolicy-dirs: [policies]\n"
                "suppressions: {allow: false}\n"
            ),
            "team/policies/.keep": "",
            "team/infra/main.tf": "",
        },
    )
    code, out, err = cli("config", "team/infra", "--as-of", "2026-11-27", "--select", "ARC1,ARC4", cwd=tmp_path)
    assert (code, err) == (0, "")
    assert out == (
        "# configuration file: team/.arclint.yaml\n"
        "select: [ARC1, ARC4]          # command line\n"
        "ignore: [ARC101]              # team/.arclint.yaml\n"
        "severity: {ARC402: warning}   # team/.arclint.yaml\n"
        "fail-on: warning              # default\n"
        "exclude: ['*.gen.tf']         # team/.arclint.yaml\n"
        "as-of: 2026-11-27             # command line\n"
        "support-matrix: '2026-08-20'  # default\n"
        "policy-dirs: [team/policies]  # team/.arclint.yaml\n"
        "var-files: []                 # default\n"
        "explore: true                 # default\n"
        "cache: true                   # default\n"
        "suppressions:\n"
        "  require-reason: false       # default\n"
        "  allow: false                # team/.arclint.yaml\n"
    )


def test_config_without_a_file_shows_the_defaults(cli: Cli, tmp_path: Path) -> None:
    before = datetime.datetime.now(datetime.timezone.utc).date()
    code, out, _ = cli("config")
    after = datetime.datetime.now(datetime.timezone.utc).date()
    lines = out.splitlines()
    assert code == 0
    assert lines[0] == (
        "# no configuration file (.arclint.yaml, .arclint.yml or [tool.arclint] in pyproject.toml) in . or above"
    )
    assert lines[6] in (f"as-of: {d.isoformat()}             # default" for d in (before, after))
    assert [line.rsplit("# ", 1)[1] for line in lines[1:] if "#" in line] == ["default"] * 13


# --- arclint init ----------------------------------------------------------------------------------------


def test_init_writes_a_starter_that_validates_and_changes_nothing(cli: Cli, tmp_path: Path) -> None:
    folder = Path(shutil.copytree(REPO / "examples" / "bad", tmp_path / "bad"))
    assert cli("init", "bad", cwd=tmp_path) == (0, "wrote bad/.arclint.yaml\n", "")
    text = (folder / ".arclint.yaml").read_text(encoding="utf-8")
    assert text == starter() and "# support-matrix: 2026-08-20\n" in text
    data = read(folder / ".arclint.yaml", folder)
    assert sorted(data) == sorted(
        [
            "select",
            "ignore",
            "severity",
            "fail-on",
            "exclude",
            "policy-dirs",
            "var-files",
            "explore",
            "suppressions",
        ]
    )
    for key in ("as-of", "support-matrix", "cache"):  # those whose default moves are there, commented out
        assert f"\n# {key}: " in text
    assert brief(cli.json(folder)[1]) == BAD
    assert [s.source for s in load(Path("."), folder).settings.values()].count(".arclint.yaml") == 10


def test_init_never_overwrites(cli: Cli, tmp_path: Path) -> None:
    write(tmp_path, {".arclint.yaml": "ignore: [ARC101]\n"})
    assert cli("init") == (2, "", "arclint: .arclint.yaml already configures arclint; nothing written\n")
    assert (tmp_path / ".arclint.yaml").read_text() == "ignore: [ARC101]\n"
    write(tmp_path, {"sub/pyproject.toml": '[tool.arclint]\nselect = ["ARC1"]\n'})
    assert cli("init", "sub") == (2, "", "arclint: sub/pyproject.toml already configures arclint; nothing written\n")
    assert not (tmp_path / "sub" / ".arclint.yaml").exists()
    assert cli("init", "missing")[0] == 2


def test_the_starter_explains_every_key_of_the_schema() -> None:
    schema = json.loads((REPO / "policies" / "schema" / "config.schema.json").read_text())
    for key in schema["properties"]:
        assert f"\n{key}:" in STARTER or f"\n# {key}:" in STARTER, key
    for key in schema["properties"]["suppressions"]["properties"]:
        assert f"\n  {key}:" in STARTER, key


# --- rules and explain read the configuration ----------------------------------------------------------


def test_rules_shows_disabled_rules_and_changed_severities(cli: Cli, tmp_path: Path) -> None:
    write(tmp_path, {".arclint.yaml": "ignore: [ARC301]\nseverity: {ARC402: info}\n"})
    code, out, _ = cli("rules")
    lines = {line[:6]: line for line in out.splitlines()}
    assert code == 0
    assert lines["ARC301"] == (
        "ARC301  arc-on-scale-set                 disabled Onboarding inside a scale set, autoscaling group or"
        " managed instance group"
    )
    assert lines["ARC402"] == (
        "ARC402  os-limited-support               info     Operating system with limited Arc support"
        " (default severity: warning)"
    )
    assert (
        lines["ARC101"]
        == "ARC101  arc-on-azure-vm                  error    Azure Connected Machine agent on an Azure VM"
    )
    assert cli("rules", "--config", ".arclint.yaml", "--ignore", "ARC101")[1].count("disabled") == 1


def test_rules_and_explain_read_policy_dirs_of_the_configuration(cli: Cli, tmp_path: Path) -> None:
    from conftest import policy_yaml

    write(
        tmp_path,
        {
            ".arclint.yaml": "policy-dirs: [org]\n",
            "org/ORG001.yaml": policy_yaml("ORG001", "{fact: lifecycle.spot, equals: true}"),
        },
    )
    assert cli("rules")[1].splitlines()[-1] == "ORG001  rule-org001                      warning  ORG001"
    assert cli("explain", "ORG001")[0] == 0
    assert cli("explain", "ORG001", "--config", str(REPO / "pyproject.toml"))[0] == 2  # no [tool.arclint] there


def test_explain_says_how_the_configuration_sets_a_rule_up(cli: Cli, tmp_path: Path) -> None:
    plain = cli("explain", "ARC402")[1]
    assert "Here:" not in plain
    write(tmp_path, {".arclint.yaml": "severity: {os-limited-support: info}\n"})
    assert cli("explain", "ARC402")[1] == plain + "\nHere: severity `info` (set by the configuration or the options).\n"
    assert cli("explain", "ARC402", "--ignore", "ARC4")[1] == (
        plain + "\nHere: disabled (by the configuration, the options or its policy file).\n"
    )


# --- configure() -------------------------------------------------------------------------------------------


def _states(
    select: tuple[str, ...] = (), ignore: tuple[str, ...] = (), severities: tuple[tuple[str, str], ...] = ()
) -> dict[str, tuple[bool, str]]:
    return {p.id: (p.enabled, p.severity) for p in configure(load_policies(), select, ignore, severities)}


def test_configure_selects_by_id_prefix_and_name_and_ignore_wins() -> None:
    states = _states(select=("ARC4", "arc-on-azure-vm", "arc302"), ignore=("ARC403",))
    assert sorted(k for k, (on, _) in states.items() if on) == [
        "ARC001",
        "ARC101",
        "ARC302",
        "ARC401",
        "ARC402",
        "ARC404",
        "ARC405",
        "ARC406",
        "ARC407",
        "ARC408",
        "ARC409",
        "ARC410",
    ]
    assert all(on for on, _ in _states().values())


def test_configure_the_most_specific_severity_wins() -> None:
    states = _states(severities=(("ARC402", "error"), ("ARC4", "info"), ("ARC", "warning"), ("ARC40", "error")))
    assert (states["ARC402"], states["ARC403"], states["ARC410"], states["ARC101"]) == (
        (True, "error"),
        (True, "error"),
        (True, "info"),
        (True, "warning"),
    )


def test_configure_does_not_enable_a_rule_its_policy_disables(tmp_path: Path) -> None:
    from dataclasses import replace

    policies = [replace(p, enabled=False) if p.id == "ARC301" else p for p in load_policies()]
    assert not next(p for p in configure(policies, select=("ARC301",)) if p.id == "ARC301").enabled


def test_configure_refuses_a_selector_that_names_no_rule() -> None:
    with pytest.raises(SelectionError) as caught:
        configure(load_policies(), ignore=("ARC1", "no-such-rule"))
    assert (caught.value.key, caught.value.selector) == ("ignore", "no-such-rule")


def test_a_configured_severity_replaces_the_checks_own_as_a_library_option(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "rules" / "ARC402" / "bad", tmp_path / "p")
    plain = brief(run_scan(tmp_path / "p"), "ARC402")
    assert {row[4] for row in plain} == {"error"}  # past the end of support: the check says error
    configured = brief(run_scan(tmp_path / "p", severities=(("ARC402", "warning"),)), "ARC402")
    assert configured == [row[:4] + ("warning",) for row in plain]


def test_a_configuration_that_is_not_a_regular_file_is_never_opened(cli: Cli, tmp_path: Path) -> None:
    import os

    os.mkfifo(tmp_path / "pipe.yaml")
    os.mkfifo(tmp_path / ".arclint.yaml")  # not a file: the lookup passes it over
    write(tmp_path, {"main.tf": ""})
    assert cli.scan(tmp_path)[0] == 0
    assert cli.scan(tmp_path, "--config", "pipe.yaml") == (
        2,
        "",
        "arclint: pipe.yaml: cannot be read (not a regular file (a pipe, device or socket))\n",
    )


def test_a_suppression_of_a_rule_turned_off_is_not_reported_unused(cli: Cli, tmp_path: Path) -> None:
    folder = Path(shutil.copytree(FIXTURES / "rules" / "ARC101" / "bad", tmp_path / "p"))
    text = (folder / "extension.tf").read_text()
    write(folder, {"extension.tf": "# arclint:ignore ARC101 lab machine\n" + text})
    assert brief(cli.json(folder)[1], "ARC003") == []  # it suppresses a finding
    assert brief(json.loads(cli.scan(folder, ".", "--format", "json", "--ignore", "ARC101")[1])) == []
    assert brief(json.loads(cli.scan(folder, ".", "--format", "json", "--ignore", "ARC102")[1]), "ARC003") == []
    write(folder, {"extension.tf": "# arclint:ignore ARC101, ARC999 lab machine\n\n" + text})  # misplaced
    assert brief(json.loads(cli.scan(folder, ".", "--format", "json", "--ignore", "ARC101")[1])) == [
        ("ARC003", "extension.tf", 1, "", "warning")
    ]


def test_allow_false_in_the_file_makes_an_inline_suppression_return_its_finding(cli: Cli, tmp_path: Path) -> None:
    folder = Path(shutil.copytree(FIXTURES / "rules" / "ARC101" / "bad", tmp_path / "p"))
    text = (folder / "extension.tf").read_text()
    write(folder, {"extension.tf": "# arclint:ignore ARC101 lab machine\n" + text})
    assert [f for f in cli.json(folder)[1]["findings"] if f["file"] == "extension.tf"] == []
    write(folder, {".arclint.yaml": "suppressions: {allow: false}\n"})
    code, report = cli.json(folder)
    returned = [f for f in report["findings"] if f["file"] == "extension.tf"]
    assert code == 1
    assert [(f["rule"], f["line"]) for f in returned] == [("ARC101", 2)]
    assert returned[0]["message"].endswith(
        "(suppression at extension.tf:1 not applied: the configuration allows no inline suppressions)"
    )


def test_an_expired_suppression_returns_its_finding_with_a_note(cli: Cli, tmp_path: Path) -> None:
    folder = Path(shutil.copytree(FIXTURES / "rules" / "ARC101" / "bad", tmp_path / "p"))
    text = (folder / "extension.tf").read_text()
    write(folder, {"extension.tf": "# arclint:ignore ARC101 until=2026-11-26 lab machine\n" + text})
    returned = [f for f in cli.json(folder)[1]["findings"] if f["file"] == "extension.tf"]
    assert [(f["rule"], f["line"]) for f in returned] == [("ARC101", 2)]
    assert returned[0]["message"].endswith("(suppression at extension.tf:1 expired on 2026-11-26)")
