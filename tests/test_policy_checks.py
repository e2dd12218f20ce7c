"""User policies are checked when loaded: facts, platforms, roles, check parameters, message fields and scan rules.
A policy that breaks any of them is exit 2 naming the file, the key path and the problem, never a traceback and
never a policy that silently never fires."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from arclint import checks
from arclint.model.target import Target
from arclint.model.vocabulary import FACT_NAMES, FACTS, PLATFORMS, ROLES
from arclint.policy import SCAN_FIELDS, Policy, PolicyError, configure, load_policies

from conftest import FIXTURES, Cli, write

BASE = {
    "id": "ORG001",
    "name": "my-rule",
    "title": "t",
    "severity": "warning",
    "when": "{fact: onboarding.connects, equals: true}",
    "message": '"{address} onboards"',
    "remediation": "r",
    "source": "https://example.org",
    "docs": "{what: a, why: b, bad: c, good: d}",
}


def policy(**changes: str | None) -> str:
    """A user policy in YAML: ``BASE`` with keys changed (``with_`` for ``with``), added, or removed (None)."""
    fields = dict(BASE)
    for key, value in changes.items():
        key = key.rstrip("_").replace("_", "-")
        if value is None:
            fields.pop(key)
        else:
            fields[key] = value
    return "".join(f"{key}: {value}\n" for key, value in fields.items())


def refused(cli: Cli, tmp_path: Path, text: str) -> tuple[int, str]:
    """Exit code and standard error of ``arclint rules --policy-dir pol`` with ``pol/org.yaml`` holding ``text``."""
    write(tmp_path, {"pol/org.yaml": text})
    code, out, err = cli("rules", "--policy-dir", "pol", cwd=tmp_path)
    assert (out == "") == (code == 2)
    return code, err


def test_the_fact_registry_is_what_targets_give() -> None:
    assert sorted(Target("a", "t", "aws", "machine", None).facts()) == sorted(FACT_NAMES)  # type: ignore[arg-type]
    assert len(set(FACT_NAMES)) == len(FACTS)


def test_platforms_the_model_gives_are_known() -> None:
    from arclint.model import azurelocal, citrix, packer, terraform

    made = {p for p, _ in terraform.MACHINES.values()} | {p for p, _ in terraform.CAPTURES.values()}
    made |= {p for p in terraform.EXTENSION_FALLBACK.values() if p} | {p for _, p in packer.PLATFORMS}
    made |= {p for _, _, p in citrix.MASTERS.values()} | {azurelocal.PLATFORM, "azure-arc", "other", "unknown"}
    assert made <= set(PLATFORMS)
    assert {r for _, r in terraform.MACHINES.values()} <= set(ROLES)


def test_arclint_facts_lists_name_type_meaning(cli: Cli) -> None:
    code, out, _ = cli("facts")
    lines = out.splitlines()
    assert code == 0
    assert [line.split()[0] for line in lines[: len(FACTS)]] == list(FACT_NAMES)
    assert re.split(r"\s{2,}", lines[6]) == [
        "onboarding.resource-group",
        "string or None",
        "the resource group the first connect names (`-g`/`--resource-group`, `-ResourceGroupName`); None when"
        " not given or not a literal",
    ]
    assert lines[len(FACTS) + 1] == "platforms (the platform fact, applies-to: platforms):"
    assert [line.split()[0] for line in lines[len(FACTS) + 2 : len(FACTS) + 2 + len(PLATFORMS)]] == list(PLATFORMS)
    assert lines[-len(ROLES) - 1] == "roles (the role fact, applies-to: roles):"


def test_every_check_has_a_strict_parameter_schema() -> None:
    for name, check in checks.REGISTRY.items():
        jsonschema.Draft202012Validator.check_schema(check.params)
        assert check.params["additionalProperties"] is False, name


def test_the_built_in_policies_pass_the_checks() -> None:
    policies = load_policies()
    assert [p.id for p in policies if p.scan] == list(SCAN_FIELDS)


# --- refused, with the key path --------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        pytest.param(
            {"when": "{fact: onboarding.agnet, equals: connected}"},
            "at when.fact: unknown fact 'onboarding.agnet' (did you mean 'onboarding.agent'? `arclint facts` lists"
            " them)",
            id="fact",
        ),
        pytest.param(
            {"when": "{all: [{fact: platform, equals: aws}, {not: {fact: lifecycle.spto, equals: true}}]}"},
            "at when.all[1].not.fact: unknown fact 'lifecycle.spto' (did you mean 'lifecycle.spot'? `arclint facts`"
            " lists them)",
            id="nested-fact",
        ),
        pytest.param(
            {"applies_to": "{platforms: [aws, awss]}"},
            "at applies-to.platforms[1]: unknown platform 'awss' (did you mean 'aws'? known: "
            + ", ".join(PLATFORMS)
            + ")",
            id="platform",
        ),
        pytest.param(
            {"applies_to": "{roles: [machines]}"},
            "at applies-to.roles[0]: unknown role 'machines' (did you mean 'machine'? known: " + ", ".join(ROLES) + ")",
            id="role",
        ),
        pytest.param(
            {"severity": "fatal"}, "at severity: 'fatal' is not one of ['error', 'warning', 'info']", id="sev"
        ),
        pytest.param(
            {"when": None, "check": "os-support"}, "at with.aspect: missing: a required parameter", id="no-with"
        ),
        pytest.param(
            {"when": None, "check": "os-support", "with_": "{aspect: unlisted, colour: red}"},
            "at with.colour: not a parameter (it takes aspect, severity-after-end, windows-2008-note)",
            id="extra-parameter",
        ),
        pytest.param(
            {"when": None, "check": "client-os", "with_": "{aspect: unlisted}"},
            "at with.aspect: not a parameter (it takes none)",
            id="parameter-of-a-check-without-any",
        ),
        pytest.param(
            {"when": None, "check": "os-support", "with_": "{aspect: 7}"},
            "at with.aspect: 7 is not one of ['unlisted', 'limited', 'arm64', '32-bit', 'edition']",
            id="parameter-type",
        ),
        pytest.param(
            {"when": None, "check": "os-suport", "with_": "{aspect: unlisted}"},
            "at check: unknown check 'os-suport' (did you mean 'os-support'? known: "
            + ", ".join(sorted(checks.REGISTRY))
            + ")",
            id="check",
        ),
        pytest.param(
            {"with_": "{aspect: unlisted}"},
            "at (top level): 'check' is a dependency of 'with'",
            id="with-without-check",
        ),
        pytest.param(
            {"message": '"{adress} onboards"'},
            "at message: unknown field {adress} (this policy's fields: address, type, platform, role, evidence, os)",
            id="field",
        ),
        pytest.param(
            {"when": None, "check": "os-support", "with_": "{aspect: unlisted}", "message": '"{address}: {row}"'},
            "at message: unknown field {row} (this policy's fields: address, type, platform, role, evidence, os,"
            " matrix)",
            id="field-of-another-aspect",
        ),
        pytest.param(
            {"when": None, "check": "os-support", "with_": "{aspect: arm64}", "message": '"{address}: {row}"'},
            None,
            id="field-of-the-aspect",
        ),
        pytest.param(
            {"message": '"{address} onboards {os"'},
            "at message: expected '}' before end of string (write {{ and }} for a literal brace)",
            id="unclosed",
        ),
        pytest.param(
            {"message": '"{address} onboards }"'},
            "at message: Single '}' encountered in format string (write {{ and }} for a literal brace)",
            id="lone-close",
        ),
        pytest.param(
            {"when": None, "scan": "true", "message": '"{file}"'},
            "at scan: scan rules are built in: ARC001, ARC003; a policy file may disable them or change their"
            " severity by id, not define new ones",
            id="scan",
        ),
    ],
)
def test_a_broken_user_policy_is_exit_2_naming_file_and_path(
    cli: Cli, tmp_path: Path, changes: dict[str, str | None], problem: str | None
) -> None:
    code, err = refused(cli, tmp_path, policy(**changes))
    assert (code, err) == ((0, "") if problem is None else (2, f"arclint: pol/org.yaml: {problem}\n"))


def test_scan_refuses_a_broken_policy_too(cli: Cli, tmp_path: Path) -> None:
    write(tmp_path, {"main.tf": "", "pol/org.yaml": policy(when="{fact: onboarding.agnet, equals: connected}")})
    code, out, err = cli("scan", ".", "--policy-dir", "pol", cwd=tmp_path)
    assert (code, out) == (2, "")
    assert err.startswith("arclint: pol/org.yaml: at when.fact: unknown fact 'onboarding.agnet'")


# --- overriding built-ins ----------------------------------------------------------------

ARC301_BAD = FIXTURES / "rules" / "ARC301" / "bad"


def test_a_user_policy_disabling_arc301_removes_it(cli: Cli, tmp_path: Path) -> None:
    write(tmp_path, {"off.yaml": "id: ARC301\nenabled: false\n"})
    before = [f["rule"] for f in cli.json(ARC301_BAD)[1]["findings"]]
    code, out, err = cli.scan(ARC301_BAD, ".", "--format", "json", "--policy-dir", str(tmp_path))
    assert before.count("ARC301") == 2
    assert "ARC301" not in out and err == ""


def test_rules_shows_a_user_disabled_rule(cli: Cli, tmp_path: Path) -> None:
    write(tmp_path, {"pol/off.yaml": "id: ARC301\nenabled: false\n", "pol/sev.yaml": "name: os-limited-support\n"
                     "severity: warning\n"})  # fmt: skip
    code, out, _ = cli("rules", "--policy-dir", "pol", cwd=tmp_path)
    lines = {line.split()[0]: line for line in out.splitlines()}
    assert code == 0
    assert lines["ARC301"] == (
        "ARC301  arc-on-scale-set                 disabled Onboarding inside a scale set, autoscaling group or"
        " managed instance group  (set in pol/off.yaml)"
    )
    assert lines["ARC402"].split()[:3] == ["ARC402", "os-limited-support", "warning"]
    assert lines["ARC402"].endswith("  (set in pol/sev.yaml)")
    assert lines["ARC302"].split()[:3] == ["ARC302", "arc-on-spot-capacity", "warning"]
    assert "(set in" not in lines["ARC302"]


def test_a_severity_override_changes_the_findings(cli: Cli, tmp_path: Path) -> None:
    write(tmp_path, {"sev.yaml": "id: ARC301\nseverity: info\n"})
    code, report = cli.json(ARC301_BAD)
    code2, out, _ = cli.scan(ARC301_BAD, ".", "--format", "json", "--policy-dir", str(tmp_path))
    import json

    severities = [f["severity"] for f in json.loads(out)["findings"] if f["rule"] == "ARC301"]
    assert [f["severity"] for f in report["findings"] if f["rule"] == "ARC301"] == ["warning", "warning"]
    assert severities == ["info", "info"]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        pytest.param(
            "id: ARC301\nenabled: false\nwhen: {fact: platform, equals: aws}\n",
            "at when: ARC301 (arc-on-scale-set) is a built-in rule: a policy file may set only its enabled and"
            " severity; its logic cannot be redefined (copy it under a new id instead)",
            id="logic",
        ),
        pytest.param(
            policy(id="ARC301", name="arc-on-scale-set"),
            "at docs: ARC301 (arc-on-scale-set) is a built-in rule: a policy file may set only its enabled and"
            " severity; its logic cannot be redefined (copy it under a new id instead)",
            id="whole-policy",
        ),
        pytest.param("id: ARC301\n", "at (top level): an override of ARC301 sets enabled and/or severity", id="none"),
        pytest.param(
            "id: ARC301\nseverity: fatal\n", "at severity: 'fatal' is not one of ['error', 'warning', 'info']", id="sev"
        ),
        pytest.param("id: ARC301\nenabled: no-thanks\n", "at enabled: 'no-thanks' is not of type 'boolean'", id="bool"),
        pytest.param(
            "id: ARC301\nname: arc-on-spot-capacity\nenabled: false\n",
            "at name: 'arc-on-spot-capacity' is not ARC301 (arc-on-scale-set)'s name",
            id="two-rules",
        ),
    ],
)
def test_a_built_in_may_only_be_disabled_or_given_a_severity(cli: Cli, tmp_path: Path, text: str, problem: str) -> None:
    assert refused(cli, tmp_path, text) == (2, f"arclint: pol/org.yaml: {problem}\n")


def test_a_built_in_is_overridden_once(cli: Cli, tmp_path: Path) -> None:
    write(tmp_path, {"pol/a.yaml": "id: ARC301\nenabled: false\n", "pol/b.yaml": "id: ARC301\nseverity: info\n"})
    code, _, err = cli("rules", "--policy-dir", "pol", cwd=tmp_path)
    assert (code, err) == (2, "arclint: pol/b.yaml: at id: ARC301 is already set in pol/a.yaml\n")


def test_explain_reads_the_policy_dirs(cli: Cli, tmp_path: Path) -> None:
    write(tmp_path, {"pol/org.yaml": policy()})
    code, out, _ = cli("explain", "my-rule", "--policy-dir", "pol", cwd=tmp_path)
    assert code == 0 and out.splitlines()[1] == "# ORG001: my-rule"
    assert cli("explain", "my-rule", cwd=tmp_path)[0] == 2


# --- configure: the configuration's select / ignore / severity, after policy files ------------------


def _state(policies: list[Policy], *ids: str) -> list[tuple[str, bool, str]]:
    return [(p.id, p.enabled, p.severity) for p in policies if p.id in ids]


def test_select_by_prefix_keeps_exactly_those_and_files_that_cannot_be_parsed() -> None:
    policies = configure(load_policies(), select=("ARC4",))
    assert sorted(p.id for p in policies if p.enabled) == ["ARC001"] + [f"ARC4{n:02d}" for n in range(1, 11)]
    assert len(policies) == len(load_policies())  # deselected rules are disabled, not dropped


def test_ignore_wins_over_select_and_names_work() -> None:
    policies = configure(load_policies(), select=("ARC4", "arc-on-scale-set"), ignore=("os-limited-support", "arc401"))
    assert _state(policies, "ARC301", "ARC401", "ARC402", "ARC403", "ARC101") == [
        ("ARC101", False, "error"),
        ("ARC301", True, "warning"),
        ("ARC401", False, "error"),
        ("ARC402", False, "warning"),
        ("ARC403", True, "error"),
    ]


def test_severity_by_id_or_name() -> None:
    policies = configure(load_policies(), severities=(("ARC402", "info"), ("arc-on-scale-set", "error")))
    assert _state(policies, "ARC301", "ARC402", "ARC403") == [
        ("ARC301", True, "error"),
        ("ARC402", True, "info"),
        ("ARC403", True, "error"),
    ]


def test_configure_keeps_a_rule_a_policy_file_disabled(tmp_path: Path) -> None:
    write(tmp_path, {"off.yaml": "id: ARC301\nenabled: false\n"})
    assert _state(configure(load_policies((tmp_path,)), select=("ARC3",)), "ARC301") == [("ARC301", False, "warning")]


@pytest.mark.parametrize(
    ("options", "problem"),
    [
        pytest.param(
            {"select": ("ARC9", "ARC4", "arc-on-scale-sett")},
            "at select: no rule matches 'ARC9' (a rule id such as ARC101, an id prefix such as ARC4, or a rule name;"
            " `arclint rules` lists them)",
            id="select",
        ),
        pytest.param(
            {"ignore": ("ARC1O1",)},
            "at ignore: no rule matches 'ARC1O1' (a rule id such as ARC101, an id prefix such as ARC4, or a rule"
            " name; `arclint rules` lists them)",
            id="ignore",
        ),
        pytest.param(
            {"severities": (("ARC9", "info"),)},
            "at severity: no rule matches 'ARC9' (a rule id such as ARC101, an id prefix such as ARC4, or a rule"
            " name; `arclint rules` lists them)",
            id="severity-by-prefix",
        ),
        pytest.param(
            {"severities": (("ARC402", "fatal"),)},
            "severity: 'fatal' for ARC402 is not error, warning or info",
            id="severity-level",
        ),
    ],
)
def test_configure_refuses_what_names_no_rule(options: dict[str, Any], problem: str) -> None:
    with pytest.raises(PolicyError) as caught:
        configure(load_policies(), **options)
    assert str(caught.value) == problem


@pytest.mark.parametrize(("depth", "refused_"), [(32, False), (33, True), (490, True)])
def test_conditions_nested_deeper_than_the_limit_are_refused(
    cli: Cli, tmp_path: Path, depth: int, refused_: bool
) -> None:
    when = "{not: " * depth + "{fact: platform, equals: aws}" + "}" * depth
    code, err = refused(cli, tmp_path, policy(when=when))
    expected = "arclint: pol/org.yaml: at when: conditions nested deeper than arclint's limit of 32 levels\n"
    assert (code, err) == ((2, expected) if refused_ else (0, ""))


def test_a_date_like_value_that_is_no_date_is_exit_2_not_a_traceback(cli: Cli, tmp_path: Path) -> None:
    code, err = refused(cli, tmp_path, policy(when="{fact: platform, equals: 2026-13-01}"))
    assert (code, err) == (
        2,
        "arclint: pol/org.yaml: not valid YAML (month must be in 1..12 (a date-like value that is no date?))\n",
    )


def test_invalid_yaml_names_its_line(cli: Cli, tmp_path: Path) -> None:
    code, err = refused(cli, tmp_path, "id: ORG001\nname: [unclosed\n")
    assert code == 2 and err.startswith("arclint: pol/org.yaml: line 3: not valid YAML (")
