"""ARC503: "Log on as a service" settings as facts (logon-right signals) and the rule over them."""

from __future__ import annotations

import pytest
from arclint.model.logon_rights import effective, grants_himds, signals

from conftest import brief, only

HIMDS_SID = "S-1-5-80-4215458991-2034252225-2287069555-1155419622-2701885083"


def _facts(text: str) -> list[tuple[str, int, str, str]]:
    return [(s.detail["tool"], s.line, s.detail["mode"], s.detail["identities"]) for s in signals(text)]


def test_security_template_replaces_the_list() -> None:
    text = "[Privilege Rights]\n; SeServiceLogonRight = *S-1-5-80-0\nSeServiceLogonRight = *S-1-5-20, *S-1-5-19\n"
    assert _facts(text) == [("security-template", 2, "replace", "S-1-5-20, S-1-5-19")]


@pytest.mark.parametrize(
    ("line", "mode", "who"),
    [
        (r'ntrights -u "NT SERVICE\himds" +r SeServiceLogonRight', "add", r"NT SERVICE\himds"),
        (r"ntrights.exe +r SeServiceLogonRight -u CORP\svc-app", "add", r"CORP\svc-app"),
        (r'ntrights -u "NT SERVICE\ALL SERVICES" -r SeServiceLogonRight', "remove", r"NT SERVICE\ALL SERVICES"),
    ],
)
def test_ntrights_adds_or_removes(line: str, mode: str, who: str) -> None:
    assert _facts(line) == [("ntrights", 0, mode, who)]


@pytest.mark.parametrize(
    ("extra", "mode"),
    [("Force = $true", "replace"), ("Ensure = 'Absent'", "remove"), ("Ensure = 'Present'", "add")],
)
def test_dsc_user_rights_assignment(extra: str, mode: str) -> None:
    text = (
        "Configuration C {\n  Node localhost {\n    UserRightsAssignment LogonAsAService {\n"
        "      Policy = 'Log_on_as_a_service'\n      Identity = 'CORP\\svc-a', 'CORP\\svc-b'\n"
        f"      {extra}\n    }}\n  }}\n}}\n"
    )
    assert _facts(text) == [("dsc", 2, mode, "CORP\\svc-a, CORP\\svc-b")]


def test_dsc_of_another_right_is_ignored() -> None:
    text = (
        "UserRightsAssignment Batch {\n"
        "  Policy = 'Log_on_as_a_batch_job'\n"
        "  Identity = @('x')\n"
        "  Force = $true\n"
        "}\n"
        "# Log_on_as_a_service\n"
    )
    assert _facts(text) == []


@pytest.mark.parametrize(("action", "mode"), [("set", "replace"), ("add", "add"), ("remove", "remove"), (None, "add")])
def test_ansible_win_user_right(action: str | None, mode: str) -> None:
    text = (
        "- name: logon\n"
        "  win_user_right:\n"
        "    name: SeServiceLogonRight\n"
        "    users: [CORP\\svc-a, 'NT SERVICE\\himds']\n"
    )
    if action:
        text += f"    action: {action}\n"
    text += "- name: next\n  win_shell: echo SeServiceLogonRight\n"
    assert _facts(text) == [("ansible", 1, mode, "CORP\\svc-a, NT SERVICE\\himds")]


def test_the_effective_list_starts_from_windows_default() -> None:
    assert grants_himds(effective([("add", ["CORP\\svc"])]))
    assert not grants_himds(effective([("remove", ["NT SERVICE\\ALL SERVICES"])]))
    assert not grants_himds(effective([("replace", ["S-1-5-20"])]))
    assert grants_himds(effective([("replace", ["S-1-5-20"]), ("add", ["nt service\\HIMDS"])]))
    assert grants_himds(effective([("replace", [HIMDS_SID])]))
    assert grants_himds(effective([("replace", ["S-1-5-80-0"])]))


INF = "[Privilege Rights]\nSeServiceLogonRight = *S-1-5-20,*S-1-5-19\n"
INSTALL = "Invoke-WebRequest -Uri https://aka.ms/AzureConnectedMachineAgent -OutFile C:\\\\t\\\\a.msi"


def _windows_vm(script: str) -> str:
    return f"""
resource "aws_instance" "win" {{
  ami           = "ami-0123456789abcdef0"
  instance_type = "m5.large"
  user_data     = <<-EOT
    <powershell>
{script}
    </powershell>
  EOT
}}
"""


def test_an_inf_written_and_applied_before_the_install_is_arc503(project) -> None:  # type: ignore[no-untyped-def]
    script = (
        "    @'\n"
        f"{INF}'@ | Set-Content C:\\\\t\\\\base.inf\n"
        "    secedit /configure /db C:\\\\t\\\\s.sdb /cfg C:\\\\t\\\\base.inf\n"
        f"    {INSTALL}"
    )
    report = project({"main.tf": _windows_vm(script)})
    assert brief(report, "ARC503") == [("ARC503", "main.tf", 2, "aws_instance.win", "warning")]
    f = only(report, "ARC503")
    assert "S-1-5-20, S-1-5-19 only" in f.message


def test_an_inf_written_but_never_applied_changes_nothing(project) -> None:  # type: ignore[no-untyped-def]
    script = f"    @'\n{INF}'@ | Set-Content C:\\\\t\\\\base.inf\n    {INSTALL}"
    assert brief(project({"main.tf": _windows_vm(script)}), "ARC503") == []


def test_ntrights_adding_another_account_is_not_arc503(project) -> None:  # type: ignore[no-untyped-def]
    script = f"    ntrights -u CORP\\\\svc-app +r SeServiceLogonRight\n    {INSTALL}"
    assert brief(project({"main.tf": _windows_vm(script)}), "ARC503") == []


def test_without_the_agent_the_setting_is_not_arclints_business(project) -> None:  # type: ignore[no-untyped-def]
    script = (
        "    @'\n"
        f"{INF}'@ | Set-Content C:\\\\t\\\\base.inf\n"
        "    secedit /configure /db C:\\\\t\\\\s.sdb /cfg C:\\\\t\\\\base.inf"
    )
    assert brief(project({"main.tf": _windows_vm(script)}), "ARC503") == []


def test_the_fact_is_in_the_target_fact_map(project) -> None:  # type: ignore[no-untyped-def]
    from arclint.core.document import Loc
    from arclint.model.facts import Evidence, Found
    from arclint.model.target import Target

    target = Target("x", "t", "aws", "machine", Loc("f", 1, 1))
    assert target.facts()["windows.service-logon.himds"] is None
    for sig in signals(INF):
        target.onboarding.found.append(Found(sig, Evidence("f", 1, sig.text)))
    assert target.facts()["windows.service-logon.himds"] is False
