"""Input switches: root-module inputs explored with their other value (arclint.explore)."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import Cli, brief, write

ONBOARD = (
    "#!/bin/bash\n"
    "curl -sSL https://aka.ms/azcmagent -o /tmp/i.sh && bash /tmp/i.sh\n"
    "azcmagent connect --resource-group rg-arc --location westeurope\n"
)
CONNECT_TFTPL = 'azcmagent connect --resource-group "${rg}" --location westeurope\n'

ENABLE_ARC = """variable "enable_arc" {
  type    = bool
  default = false
}

resource "azurerm_linux_virtual_machine" "vm" {
  name        = "vm1"
  custom_data = var.enable_arc ? base64encode(file("${path.module}/scripts/onboard.sh")) : null
}
"""

ARC101_MESSAGE = (
    "azurerm_linux_virtual_machine.vm runs the Azure Connected Machine agent on an Azure VM, where it is not supported "
    "outside a complete evaluation setup (scripts/onboard.sh:3)"
)


def test_bool_switch_with_default_false_is_explored(project) -> None:
    report = project({"main.tf": ENABLE_ARC, "scripts/onboard.sh": ONBOARD})
    assert brief(report) == [("ARC101", "main.tf", 6, "azurerm_linux_virtual_machine.vm", "error")]
    finding = report.findings[0]
    assert finding.message == ARC101_MESSAGE + " (when var.enable_arc is true; default false)"
    assert finding.condition == (("enable_arc", True),)
    assert finding.to_json()["condition"] == [{"variable": "enable_arc", "value": True}]


def test_a_switch_pinned_in_terraform_tfvars_is_not_explored(project) -> None:
    files = {"main.tf": ENABLE_ARC, "scripts/onboard.sh": ONBOARD, "terraform.tfvars": "enable_arc = false\n"}
    assert brief(project(files)) == []


def test_a_switch_pinned_in_an_auto_tfvars_file_decides(project) -> None:
    files = {"main.tf": ENABLE_ARC, "scripts/onboard.sh": ONBOARD, "lab.auto.tfvars": "enable_arc = true\n"}
    report = project(files)
    assert brief(report) == [("ARC101", "main.tf", 6, "azurerm_linux_virtual_machine.vm", "error")]
    assert report.findings[0].message == ARC101_MESSAGE and report.findings[0].condition == ()


def test_a_switch_pinned_by_var_or_environment_is_not_explored(project) -> None:
    files = {"main.tf": ENABLE_ARC, "scripts/onboard.sh": ONBOARD}
    assert brief(project(files, variables=(("enable_arc", "false"),))) == []
    assert brief(project(files, env={"TF_VAR_enable_arc": "false"})) == []
    pinned_true = project(files, env={"TF_VAR_enable_arc": "true"})
    assert [f.condition for f in pinned_true.findings] == [()]


def test_no_explore_evaluates_only_the_defaults(project) -> None:
    assert brief(project({"main.tf": ENABLE_ARC, "scripts/onboard.sh": ONBOARD}, explore=False)) == []


def test_null_default_object_is_explored_as_set(project) -> None:
    tf = """variable "arc" {
  type    = object({ resource_group = string })
  default = null
}

locals {
  connect = var.arc == null ? "" : templatefile("${path.module}/connect.sh.tftpl", { rg = var.arc.resource_group })
}

resource "azurerm_linux_virtual_machine" "vm" {
  name        = "vm1"
  custom_data = base64encode(local.connect)
}
"""
    report = project({"main.tf": tf, "connect.sh.tftpl": CONNECT_TFTPL})
    assert brief(report) == [("ARC101", "main.tf", 10, "azurerm_linux_virtual_machine.vm", "error")]
    finding = report.findings[0]
    assert finding.message.endswith("(connect.sh.tftpl:1) (when var.arc is set; default null)")
    assert finding.to_json()["condition"] == [{"variable": "arc", "value": "set"}]
    assert [(e.file, e.line, e.text) for e in finding.evidence] == [
        ("connect.sh.tftpl", 1, 'azcmagent connect --resource-group "${?}" --location westeurope')
    ]


def test_count_switch_creates_the_machine(project) -> None:
    tf = """variable "arc_enabled" {
  default = false
}

resource "azurerm_linux_virtual_machine" "arc" {
  count       = var.arc_enabled ? 1 : 0
  name        = "vm-arc"
  custom_data = base64encode(file("scripts/onboard.sh"))
}
"""
    report = project({"main.tf": tf, "scripts/onboard.sh": ONBOARD})
    assert brief(report) == [("ARC101", "main.tf", 5, "azurerm_linux_virtual_machine.arc", "error")]
    assert report.findings[0].message.endswith("(when var.arc_enabled is true; default false)")
    assert report.findings[0].instances == ()


def test_switch_threaded_through_a_module_argument(project) -> None:
    root = (
        'variable "onboard" {\n'
        "  type    = bool\n"
        "  default = false\n"
        "}\n"
        "\n"
        'module "vm" {\n'
        '  source     = "./vm"\n'
        "  enable_arc = var.onboard\n"
        "}\n"
    )
    files = {"main.tf": root, "vm/main.tf": ENABLE_ARC, "vm/scripts/onboard.sh": ONBOARD}
    report = project(files)
    assert brief(report) == [("ARC101", "vm/main.tf", 6, "module.vm.azurerm_linux_virtual_machine.vm", "error")]
    assert report.findings[0].condition == (("onboard", True),)
    # the called module's own default is the caller's decision: not a root input, not explored
    fixed = project({**files, "main.tf": 'module "vm" {\n  source = "./vm"\n}\n'})
    assert brief(fixed) == []


def test_bool_without_default_is_explored_both_ways(project) -> None:
    tf = (
        'variable "skip_arc" {\n'
        "  type = bool\n"
        "}\n"
        "\n"
        'resource "azurerm_linux_virtual_machine" "vm" {\n'
        '  custom_data = var.skip_arc ? null : base64encode(file("scripts/onboard.sh"))\n'
        "}\n"
    )
    report = project({"main.tf": tf, "scripts/onboard.sh": ONBOARD})
    assert brief(report) == [
        ("ARC002", "main.tf", 5, "azurerm_linux_virtual_machine.vm", "info"),  # the defaults leave it unknown
        ("ARC101", "main.tf", 5, "azurerm_linux_virtual_machine.vm", "error"),
    ]
    assert report.findings[1].message.endswith("(when var.skip_arc is false; no default)")


def test_two_switches_needed_together_are_named_and_an_unrelated_one_is_not(project) -> None:
    tf = """variable "arc" {
  default = false
}
variable "lab" {
  default = false
}
variable "monitoring" {
  type    = bool
  default = false
}

resource "azurerm_linux_virtual_machine" "vm" {
  custom_data = var.arc && var.lab ? base64encode(file("scripts/onboard.sh")) : null
  tags        = var.monitoring ? { monitored = "yes" } : {}
}
"""
    report = project({"main.tf": tf, "scripts/onboard.sh": ONBOARD})
    assert brief(report) == [("ARC101", "main.tf", 12, "azurerm_linux_virtual_machine.vm", "error")]
    finding = report.findings[0]
    assert finding.message.endswith("(when var.arc is true and var.lab is true; defaults false, false)")
    assert finding.to_json()["condition"] == [{"variable": "arc", "value": True}, {"variable": "lab", "value": True}]


def test_a_switch_read_only_under_another_switch_is_found(project) -> None:
    tf = """variable "arc" {
  default = null
}
variable "connect" {
  default = false
}

resource "azurerm_linux_virtual_machine" "vm" {
  custom_data = var.arc == null ? null : (var.connect ? base64encode(file("scripts/onboard.sh")) : null)
}
"""
    report = project({"main.tf": tf, "scripts/onboard.sh": ONBOARD})
    assert brief(report) == [("ARC101", "main.tf", 8, "azurerm_linux_virtual_machine.vm", "error")]
    assert report.findings[0].message.endswith("(when var.arc is set and var.connect is true; defaults null, false)")


def test_more_than_eight_switches_together_is_arc002_that_says_so(project) -> None:
    names = [f"s{i}" for i in range(9)]
    variables = "".join(f'variable "{n}" {{\n  default = false\n}}\n' for n in names)
    cond = " && ".join(f"var.{n}" for n in names)
    tf = variables + (
        "\n"
        f'resource "azurerm_linux_virtual_machine" "vm" {{\n'
        f'  custom_data = {cond} ? base64encode(file("scripts/onboard.sh")) : null\n'
        f"}}\n"
    )
    report = project({"main.tf": tf, "scripts/onboard.sh": ONBOARD})
    assert brief(report) == [("ARC002", "main.tf", 29, "azurerm_linux_virtual_machine.vm", "info")]
    message = report.findings[0].message
    assert "ARC101 holds when all 9 input switches are flipped together (var.s0, var.s1" in message
    assert "more than the 8 arclint combines" in message


def test_a_finding_the_defaults_already_give_is_not_repeated(project) -> None:
    tf = ENABLE_ARC.replace(
        'custom_data = var.enable_arc ? base64encode(file("${path.module}/scripts/onboard.sh")) : null',
        'custom_data = base64encode(file("scripts/onboard.sh"))\n  tags        = var.enable_arc ? { arc = "yes" } : {}',
    )
    report = project({"main.tf": tf, "scripts/onboard.sh": ONBOARD})
    assert [(f.rule, f.condition) for f in report.findings] == [("ARC101", ())]


def test_unknowns_under_a_flipped_switch_are_not_reported(project) -> None:
    tf = (
        'variable "script" {\n'
        "  default = null\n"
        "}\n"
        "\n"
        'resource "azurerm_linux_virtual_machine" "vm" {\n'
        "  custom_data = var.script == null ? null : file(var.script)\n"
        "}\n"
    )
    assert brief(project({"main.tf": tf})) == []


def test_suppression_covers_a_conditional_finding(project) -> None:
    tf = "# arclint:ignore ARC101 lab feature, off in production\n" + ENABLE_ARC.replace(
        'variable "enable_arc"', 'variable "enable_arc"', 1
    )
    tf = ENABLE_ARC.replace(
        'resource "azurerm_linux_virtual_machine" "vm" {',
        '# arclint:ignore ARC101 lab only\nresource "azurerm_linux_virtual_machine" "vm" {',
    )
    assert brief(project({"main.tf": tf, "scripts/onboard.sh": ONBOARD})) == []


def test_cli_condition_in_text_and_json_and_no_explore(cli: Cli, tmp_path: Path) -> None:
    write(tmp_path, {"main.tf": ENABLE_ARC, "scripts/onboard.sh": ONBOARD})
    code, out, err = cli.scan(tmp_path)
    assert (code, err) == (1, "")
    assert (
        out.splitlines()[0]
        == f"main.tf:6:1: error ARC101 {ARC101_MESSAGE} (when var.enable_arc is true; default false)"
    )
    data = json.loads(cli.scan(tmp_path, "--format", "json")[1])
    assert data["findings"][0]["condition"] == [{"variable": "enable_arc", "value": True}]
    code, out, _ = cli.scan(tmp_path, "--no-explore")
    assert code == 0 and out.startswith("0 findings")
