"""``provision_vm_agent = false`` on an azurerm VM or scale set is the evaluation step "guest agent disabled"."""

from __future__ import annotations

import pytest

from conftest import brief, only

# (resource type, the blocks that hold provision_vm_agent, outermost first; extension resource, its parent id attribute)
SWITCHES = [
    ("azurerm_linux_virtual_machine", (), "azurerm_virtual_machine_extension", "virtual_machine_id"),
    ("azurerm_windows_virtual_machine", (), "azurerm_virtual_machine_extension", "virtual_machine_id"),
    (
        "azurerm_virtual_machine",
        ("os_profile_windows_config",),
        "azurerm_virtual_machine_extension",
        "virtual_machine_id",
    ),
    (
        "azurerm_linux_virtual_machine_scale_set",
        (),
        "azurerm_virtual_machine_scale_set_extension",
        "virtual_machine_scale_set_id",
    ),
    (
        "azurerm_windows_virtual_machine_scale_set",
        (),
        "azurerm_virtual_machine_scale_set_extension",
        "virtual_machine_scale_set_id",
    ),
    (
        "azurerm_virtual_machine_scale_set",
        ("os_profile_windows_config",),
        "azurerm_virtual_machine_scale_set_extension",
        "virtual_machine_scale_set_id",
    ),
    (
        "azurerm_orchestrated_virtual_machine_scale_set",
        ("os_profile", "windows_configuration"),
        "azurerm_virtual_machine_scale_set_extension",
        "virtual_machine_scale_set_id",
    ),
    (
        "azurerm_orchestrated_virtual_machine_scale_set",
        ("os_profile", "linux_configuration"),
        "azurerm_virtual_machine_scale_set_extension",
        "virtual_machine_scale_set_id",
    ),
]

SCRIPT = (
    "export MSFT_ARC_TEST=true\\n"
    "sudo ufw deny out from any to 169.254.169.254\\n"
    "azcmagent connect --resource-group rg-arc --location westeurope --config /etc/arc.json\\n"
)


def _config(rtype: str, path: tuple[str, ...], ext: str, parent: str, value: str) -> tuple[str, int]:
    """A machine with ``provision_vm_agent = value`` in ``path``, and an extension that runs SCRIPT; the switch's
    line."""
    lines = [f'resource "{rtype}" "lab" {{', '  name = "lab"']
    for depth, block in enumerate(path, 1):
        lines.append("  " * depth + f"{block} {{")
    indent = "  " * (len(path) + 1)
    lines.append(f"{indent}provision_vm_agent = {value}")
    switch_line = len(lines)
    lines.extend("  " * depth + "}" for depth in range(len(path), 0, -1))
    lines += [
        "}",
        "",
        f'resource "{ext}" "onboard" {{',
        '  name = "onboard"',
        f"  {parent} = {rtype}.lab.id",
        f'  settings = jsonencode({{ commandToExecute = "{SCRIPT}" }})',
        "}",
        "",
        'variable "agent" {}',
        'variable "agent_default" { default = false }',
    ]
    return "\n".join(lines) + "\n", switch_line


@pytest.mark.parametrize(
    ("rtype", "path", "ext", "parent"), SWITCHES, ids=lambda v: v if isinstance(v, str) else "/".join(v)
)
def test_provision_vm_agent_false_completes_the_evaluation_setup(project, rtype, path, ext, parent) -> None:
    text, _ = _config(rtype, path, ext, parent, "false")
    assert [b for b in brief(project({"main.tf": text})) if b[0] in ("ARC101", "ARC102")] == []


@pytest.mark.parametrize(
    ("rtype", "path", "ext", "parent"), SWITCHES, ids=lambda v: v if isinstance(v, str) else "/".join(v)
)
def test_provision_vm_agent_true_leaves_the_step_missing(project, rtype, path, ext, parent) -> None:
    text, _ = _config(rtype, path, ext, parent, "true")
    report = project({"main.tf": text})
    assert [b[:2] for b in brief(report, "ARC102")] == [("ARC102", "main.tf")]
    assert (
        "misses: Azure guest agent disabled (has: MSFT_ARC_TEST set, IMDS (169.254.169.254) blocked)"
        in report.findings[0].message
    )


def test_the_switch_line_is_the_evidence(project) -> None:
    text, line = _config(
        "azurerm_virtual_machine",
        ("os_profile_windows_config",),
        "azurerm_virtual_machine_extension",
        "virtual_machine_id",
        "false",
    )
    text = text.replace("export MSFT_ARC_TEST=true\\n", "")
    report = project({"main.tf": text})
    finding = only(report, "ARC102")
    assert (
        "misses: MSFT_ARC_TEST set (has: Azure guest agent disabled, IMDS (169.254.169.254) blocked)" in finding.message
    )
    assert ("main.tf", line, "provision_vm_agent = false") in [(e.file, e.line, e.text) for e in finding.evidence]


def test_an_evaluated_false_counts(project) -> None:
    text, _ = _config(
        "azurerm_linux_virtual_machine",
        (),
        "azurerm_virtual_machine_extension",
        "virtual_machine_id",
        "var.agent_default",
    )
    assert [b for b in brief(project({"main.tf": text}, explore=False)) if b[0] in ("ARC101", "ARC102")] == []
    # the variable is an input switch: with its other value the step is missing
    explored = [f for f in project({"main.tf": text}).findings if f.rule in ("ARC101", "ARC102")]
    assert [(f.rule, f.condition) for f in explored] == [("ARC102", (("agent_default", True),))]


def test_an_unknown_value_does_not_count_and_is_arc002(project) -> None:
    text, _ = _config(
        "azurerm_linux_virtual_machine", (), "azurerm_virtual_machine_extension", "virtual_machine_id", "var.agent"
    )
    report = project({"main.tf": text})
    assert [b[0] for b in brief(report)] == ["ARC002", "ARC102"]
    assert "cannot tell whether the Azure guest agent is provisioned: " in report.findings[0].message


def test_an_unknown_value_on_a_machine_that_does_not_onboard_is_silent(project) -> None:
    report = project(
        {
            "main.tf": (
                'resource "azurerm_linux_virtual_machine" "web" {\n'
                "  provision_vm_agent = var.agent\n"
                "}\n"
                'variable "agent" {}\n'
            )
        }
    )
    assert brief(report) == []


def test_done_when_windows_vm_without_agent_with_imds_block_misses_only_the_test_flag(project) -> None:
    report = project({"main.tf": WINDOWS_NO_AGENT})
    assert brief(report) == [("ARC102", "main.tf", 1, "azurerm_windows_virtual_machine.win", "error")]
    assert report.findings[0].message.startswith(
        "azurerm_windows_virtual_machine.win sets up Arc evaluation on an Azure VM but misses: MSFT_ARC_TEST set "
        "(has: Azure guest agent disabled, IMDS (169.254.169.254) blocked)"
    )


WINDOWS_NO_AGENT = r"""resource "azurerm_windows_virtual_machine" "win" {
  name               = "vm-win"
  size               = "Standard_D2s_v5"
  provision_vm_agent = false

  source_image_reference {
    publisher = "MicrosoftWindowsServer"
    offer     = "WindowsServer"
    sku       = "2022-datacenter-g2"
    version   = "latest"
  }
}

resource "azurerm_virtual_machine_run_command" "onboard" {
  name               = "onboard-arc"
  virtual_machine_id = azurerm_windows_virtual_machine.win.id

  source {
    script = <<-EOT
      New-NetFirewallRule -Name BlockAzureIMDS -Direction Outbound -Action Block -RemoteAddress 169.254.169.254
      & "$env:ProgramW6432\AzureConnectedMachineAgent\azcmagent.exe" connect --resource-group rg --location westeurope
    EOT
  }
}
"""
