"""Platforms and hosts: Azure Stack Hub, Azure Local VMs and hosts, pooled VDI session hosts, Azure Edition."""

from __future__ import annotations

import pytest
from arclint.model import osimage

from conftest import brief, only

CONNECT = "azcmagent connect --resource-group rg-arc --location westeurope --config /etc/arc.json"
EVALUATION = (
    "export MSFT_ARC_TEST=true\n"
    "sudo systemctl stop walinuxagent\nsudo systemctl disable walinuxagent\n"
    "sudo ufw deny out from any to 169.254.169.254\n"
    f"{CONNECT}\n"
)

STACK_VM = """
resource "azurestack_linux_virtual_machine" "lab" {
  name                  = "lab01"
  location              = "local"
  resource_group_name   = "rg"
  size                  = "Standard_DS2_v2"
  admin_username        = "azureuser"
  network_interface_ids = ["nic"]
  custom_data           = base64encode(file("${path.module}/evaluate.sh"))
}
"""


def test_the_azure_vm_evaluation_setup_does_not_make_azure_stack_hub_fine(project) -> None:
    report = project({"main.tf": STACK_VM, "evaluate.sh": EVALUATION})
    assert [b for b in brief(report) if b[4] != "info"] == [
        ("ARC103", "main.tf", 2, "azurestack_linux_virtual_machine.lab", "error")
    ]


def test_an_azure_stack_hub_extension_whose_vm_is_elsewhere_is_azure_stack_hub(project) -> None:
    report = project(
        {
            "main.tf": (
                """
resource "azurestack_virtual_machine_extension" "arc" {
  name                 = "arc"
  virtual_machine_id   = var.vm_id
  publisher            = "Microsoft.Azure.Extensions"
  type                 = "CustomScript"
  type_handler_version = "2.1"
  settings             = jsonencode({ commandToExecute = "azcmagent connect --resource-group rg """
                """--location westeurope" })
}
variable "vm_id" {
  type = string
}
"""
            )
        }
    )
    assert [b for b in brief(report) if b[4] != "info"] == [
        ("ARC103", "main.tf", 2, "azurestack_virtual_machine_extension.arc", "error")
    ]


HCI_VM = """
resource "azurerm_arc_machine" "vm" {
  name                = "vm01"
  resource_group_name = "rg"
  location            = "westeurope"
  kind                = "%s"
}
resource "azurerm_arc_machine_extension" "script" {
  name           = "CustomScriptExtension"
  arc_machine_id = azurerm_arc_machine.vm.id
  location       = "westeurope"
  publisher      = "Microsoft.Compute"
  type           = "CustomScriptExtension"
  settings       = jsonencode({ commandToExecute = "%s" })
}
"""


@pytest.mark.parametrize(
    ("kind", "command", "expected"),
    [
        (
            "HCI",
            "azcmagent disconnect --access-token t",
            [("ARC104", "main.tf", 2, "azurerm_arc_machine.vm", "warning")],
        ),
        ("HCI", "azcmagent disconnect --force-local-only", []),
        ("hci", "azcmagent disconnect -f", []),
        ("VMware", "azcmagent disconnect --access-token t", []),  # an Arc machine elsewhere is not an Azure Local VM
    ],
)
def test_a_disconnect_on_an_azure_local_vm_needs_force_local_only(
    project, kind: str, command: str, expected: list[tuple[str, str, int, str, str]]
) -> None:
    assert brief(project({"main.tf": HCI_VM % (kind, command)})) == expected


def test_an_arc_machine_extension_whose_machine_is_not_in_the_configuration_makes_no_target(project) -> None:
    report = project(
        {
            "main.tf": """
resource "azurerm_arc_machine_extension" "script" {
  name           = "CustomScript"
  arc_machine_id = data.azurerm_arc_machine.existing.id
  location       = "westeurope"
  publisher      = "Microsoft.Azure.Extensions"
  type           = "CustomScript"
  settings       = jsonencode({ commandToExecute = "azcmagent disconnect --access-token t" })
}
data "azurerm_arc_machine" "existing" {
  name                = "srv01"
  resource_group_name = "rg"
}
"""
        }
    )
    assert brief(report) == []


def test_azapi_run_commands_of_an_azure_local_vm_are_its_scripts(project) -> None:
    report = project(
        {
            "main.tf": """
resource "azapi_resource" "machine" {
  type      = "Microsoft.HybridCompute/machines@2023-10-03-preview"
  name      = "vm01"
  location  = "westeurope"
  parent_id = "/subscriptions/0000/resourceGroups/rg"
  body      = { kind = "HCI" }
}
resource "azapi_resource" "extension" {
  type      = "Microsoft.HybridCompute/machines/extensions@2024-07-10"
  name      = "CustomScriptExtension"
  location  = "westeurope"
  parent_id = azapi_resource.machine.id
  body = {
    properties = {
      publisher = "Microsoft.Compute"
      type      = "CustomScriptExtension"
      settings  = { commandToExecute = "azcmagent disconnect --use-device-code" }
    }
  }
}
"""
        }
    )
    assert brief(report) == [("ARC104", "main.tf", 2, "azapi_resource.machine", "warning")]
    assert [(e.file, e.line) for e in report.findings[0].evidence] == [("main.tf", 14)]  # the body attribute


def test_azure_edition_on_an_azure_local_vm_is_fine_and_elsewhere_an_error(project) -> None:
    vsphere = (
        """
data "vsphere_virtual_machine" "tpl" {
  name          = "win2022-datacenter-azure-edition"
  datacenter_id = "dc"
}
resource "vsphere_virtual_machine" "app" {
  name             = "app01"
  resource_pool_id = "rp"
  clone {
    template_uuid = data.vsphere_virtual_machine.tpl.id
  }
  extra_config = { "guestinfo.userdata" = base64encode("@CONNECT@") }
}
"""
    ).replace("@CONNECT@", CONNECT)
    report = project({"main.tf": vsphere})
    assert brief(report, "ARC410") == [("ARC410", "main.tf", 6, "vsphere_virtual_machine.app", "error")]
    assert "only on platform azure-local, on platform vsphere" in report.findings[0].message


def test_the_azure_local_platform_is_where_azure_edition_is_supported() -> None:
    import datetime

    from arclint import checks
    from arclint.core.document import Loc
    from arclint.matrix import load_matrix
    from arclint.model.facts import Evidence, Found
    from arclint.model.scripts import Signal
    from arclint.model.target import Target

    ctx = checks.Context(load_matrix(None), datetime.date(2026, 11, 27))
    os = osimage.from_azure_image("MicrosoftWindowsServer", "WindowsServer", "2022-datacenter-azure-edition")
    hits = {}
    for platform in ("azure-local", "azure", "vsphere", "azure-stack-hub"):
        target = Target("t", "x", platform, "machine", Loc("main.tf", 1, 1), os=os)
        target.onboarding.found.append(Found(Signal("connect", 0, 1, CONNECT), Evidence("main.tf", 1, CONNECT)))
        hits[platform] = len(list(checks.os_support(target, {"aspect": "edition"}, ctx)))
    assert hits == {"azure-local": 0, "azure": 1, "vsphere": 1, "azure-stack-hub": 1}


POOL = """
resource "azurerm_virtual_desktop_host_pool" "pool" {
  name                = "hp"
  location            = "westeurope"
  resource_group_name = "rg"
  type                = "%s"
  load_balancer_type  = "%s"
}
resource "azurerm_virtual_desktop_host_pool_registration_info" "reg" {
  hostpool_id     = azurerm_virtual_desktop_host_pool.pool.id
  expiration_date = "2026-12-31T00:00:00Z"
}
"""
AZURE_HOST = """
resource "azurerm_windows_virtual_machine" "host" {
  name                  = "sh0"
  location              = "westeurope"
  resource_group_name   = "rg"
  size                  = "Standard_D4s_v5"
  admin_username        = "a"
  admin_password        = var.pw
  network_interface_ids = ["nic"]
  custom_data           = base64encode("%s")
}
variable "pw" {
  type = string
}
resource "azurerm_virtual_machine_extension" "dsc" {
  name                 = "dsc"
  virtual_machine_id   = azurerm_windows_virtual_machine.host.id
  publisher            = "Microsoft.Powershell"
  type                 = "DSC"
  type_handler_version = "2.73"
  protected_settings   = jsonencode({ properties = { registrationInfoToken = %s } })
}
"""


@pytest.mark.parametrize(
    ("pool_type", "balancer", "token", "arc303"),
    [
        ("Pooled", "BreadthFirst", "azurerm_virtual_desktop_host_pool_registration_info.reg.token", True),
        ("Pooled", "DepthFirst", "azurerm_virtual_desktop_host_pool.pool.name", True),
        ("Personal", "Persistent", "azurerm_virtual_desktop_host_pool_registration_info.reg.token", False),
        ("Pooled", "BreadthFirst", "var.pw", False),  # not linked to the pool
    ],
)
def test_session_hosts_of_a_pooled_host_pool_are_pooled_vdi(
    project, pool_type: str, balancer: str, token: str, arc303: bool
) -> None:
    report = project({"pool.tf": POOL % (pool_type, balancer), "host.tf": AZURE_HOST % (CONNECT, token)})
    expected = [("ARC303", "host.tf", 2, "azurerm_windows_virtual_machine.host", "warning")] if arc303 else []
    assert brief(report, "ARC303") == expected
    assert brief(report, "ARC101") == [
        ("ARC101", "host.tf", 2, "azurerm_windows_virtual_machine.host", "error")
    ]  # both: expected
    if arc303:
        finding = only(report, "ARC303")
        assert 'azurerm_virtual_desktop_host_pool.pool (type = "Pooled", pool.tf:6)' in finding.message


def test_a_pooled_session_host_that_does_not_connect_is_not_flagged(project) -> None:
    report = project(
        {
            "pool.tf": POOL % ("Pooled", "BreadthFirst"),
            "host.tf": AZURE_HOST % ("echo hello", "azurerm_virtual_desktop_host_pool_registration_info.reg.token"),
        }
    )
    assert brief(report) == []


def test_avd_on_azure_local_is_not_pooled_vdi_outside_azure_local(project) -> None:
    hci_host = (
        """
resource "azurerm_arc_machine" "host" {
  name                = "sh0"
  resource_group_name = "rg"
  location            = "westeurope"
  kind                = "HCI"
}
resource "azurerm_arc_machine_extension" "avd" {
  name           = "avd"
  arc_machine_id = azurerm_arc_machine.host.id
  location       = "westeurope"
  publisher      = "Microsoft.Compute"
  type           = "CustomScriptExtension"
  settings       = jsonencode({ commandToExecute = "@CONNECT@" })
  protected_settings = jsonencode({ token = azurerm_virtual_desktop_host_pool_registration_info.reg.token })
}
"""
    ).replace("@CONNECT@", CONNECT)
    report = project({"pool.tf": POOL % ("Pooled", "BreadthFirst"), "host.tf": hci_host})
    assert brief(report) == []


def test_references_are_read_from_syntax_inside_strings_and_functions() -> None:
    from arclint.evaluate.blocks import EvalBlock
    from arclint.load.hcl import parse_body

    body_block = parse_body(
        """
resource "x" "y" {
  a = jsonencode({ k = azurerm_virtual_desktop_host_pool.p.name, l = [var.v, local.w, each.key] })
  b = <<EOT
token: ${azurerm_virtual_desktop_host_pool_registration_info.r.token}
EOT
  c = data.azurerm_arc_machine.m.id
  d = module.m.out
}
""",
        "main.tf",
    )
    block = body_block.blocks[0]
    body = EvalBlock(block, None)  # type: ignore[arg-type]  (references need no evaluation)
    assert body.references("a") == {"azurerm_virtual_desktop_host_pool.p"}
    assert body.references("b") == {"azurerm_virtual_desktop_host_pool_registration_info.r"}
    assert body.references("c") == {"data.azurerm_arc_machine.m"}
    assert body.references("d") == set()
    assert body.references("missing") == set()


@pytest.mark.parametrize(
    ("name", "family", "edition"),
    [
        ("AzureStackHCI_20349.1607_en-us.iso", "azure-local", None),
        ("AzureLocal24H2.26100.1742.LCM.12.2504.0.3142.x64.en-us.iso", "azure-local", None),
        ("azurestackhci-23h2-node", "azure-local", None),
        ("ubuntu-2204-azure-local", "ubuntu", None),  # a guest image for Azure Local is its own OS
        ("win2022-datacenter-azure-local", "windows-server", "server"),
        ("win2022-datacenter-azure-edition", "windows-server", "azure-edition"),
        ("ws2025-datacenter-azure-edition-core", "windows-server", "azure-edition"),
        ("windows-server-2022-datacenter", "windows-server", "server"),
    ],
)
def test_host_and_edition_names(name: str, family: str, edition: str | None) -> None:
    info = osimage.from_image_name(name)
    assert info is not None and (info.family, info.edition) == (family, edition)
