"""One finding per resource: instances from count/for_each on resources and module calls, any depth."""

from __future__ import annotations

from arclint.core.addresses import instance_label, named, split_keys, unkeyed, without_own_key

from conftest import brief

SERVER = """variable "name" {}
variable "connect" {
  default = true
}

resource "azurerm_linux_virtual_machine" "vm" {
  name        = var.name
  custom_data = var.connect ? base64encode(templatefile("${path.module}/connect.sh.tftpl", { name = var.name })) : null
}
"""
CONNECT = 'azcmagent connect --resource-group rg-arc --location westeurope --resource-name "${name}"\n'
ROOT = """module "web" {
  source   = "./server"
  for_each = toset(["web1", "web2", "web3"])
  name     = each.key
}
"""


def test_module_for_each_over_three_servers_is_one_finding(project) -> None:
    report = project({"main.tf": ROOT, "server/main.tf": SERVER, "server/connect.sh.tftpl": CONNECT})
    assert brief(report) == [("ARC101", "server/main.tf", 6, "module.web.azurerm_linux_virtual_machine.vm", "error")]
    finding = report.findings[0]
    assert finding.instances == ("web1", "web2", "web3")
    assert finding.message.startswith(
        "module.web.azurerm_linux_virtual_machine.vm (3 instances: web1, web2, web3) runs the Azure"
    )
    assert finding.to_json()["instances"] == ["web1", "web2", "web3"]
    # the evidence differs per instance (--resource-name) and is the first instance's
    assert [e.text for e in finding.evidence] == [
        'azcmagent connect --resource-group rg-arc --location westeurope --resource-name "web1"'
    ]


def test_nested_module_instances_are_one_finding(project) -> None:
    root = 'module "site" {\n  source = "./site"\n  count  = 2\n}\n'
    site = ROOT.replace('"./server"', '"../server"')
    files = {"main.tf": root, "site/main.tf": site, "server/main.tf": SERVER, "server/connect.sh.tftpl": CONNECT}
    report = project(files)
    assert brief(report) == [
        ("ARC101", "server/main.tf", 6, "module.site.module.web.azurerm_linux_virtual_machine.vm", "error")
    ]
    assert report.findings[0].instances == ("0/web1", "0/web2", "0/web3", "1/web1", "1/web2", "1/web3")
    assert "(6 instances: 0/web1, 0/web2, 0/web3, 1/web1, 1/web2, 1/web3)" in report.findings[0].message


def test_some_instances_are_named_with_their_share(project) -> None:
    root = ROOT.replace("  name     = each.key\n", '  name     = each.key\n  connect  = each.key != "web2"\n')
    report = project({"main.tf": root, "server/main.tf": SERVER, "server/connect.sh.tftpl": CONNECT})
    assert brief(report) == [("ARC101", "server/main.tf", 6, "module.web.azurerm_linux_virtual_machine.vm", "error")]
    assert report.findings[0].instances == ("web1", "web3")
    assert (
        "module.web.azurerm_linux_virtual_machine.vm (2 of 3 instances: web1, web3) runs" in report.findings[0].message
    )


def test_one_instance_of_several_keeps_its_own_address(project) -> None:
    root = ROOT.replace("  name     = each.key\n", '  name     = each.key\n  connect  = each.key == "web2"\n')
    report = project({"main.tf": root, "server/main.tf": SERVER, "server/connect.sh.tftpl": CONNECT})
    assert brief(report) == [
        ("ARC101", "server/main.tf", 6, 'module.web["web2"].azurerm_linux_virtual_machine.vm', "error")
    ]
    assert report.findings[0].instances == ()


def test_many_instances_are_named_up_to_ten_in_the_message(project) -> None:
    root = 'module "web" {\n  source   = "./server"\n  count    = 12\n  name     = "vm${count.index}"\n}\n'
    report = project({"main.tf": root, "server/main.tf": SERVER, "server/connect.sh.tftpl": CONNECT})
    finding = report.findings[0]
    assert finding.instances == tuple(str(i) for i in range(12))
    assert "(12 instances: 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 and 2 more)" in finding.message


def test_two_root_modules_with_the_same_addresses_are_not_merged(project) -> None:
    one = (
        'resource "azurerm_linux_virtual_machine" "vm" {\n'
        "  count       = 2\n"
        '  custom_data = base64encode("azcmagent connect -g rg")\n'
        "}\n"
    )
    report = project({"a/main.tf": one, "b/main.tf": one})
    assert brief(report) == [
        ("ARC101", "a/main.tf", 1, "azurerm_linux_virtual_machine.vm", "error"),
        ("ARC101", "b/main.tf", 1, "azurerm_linux_virtual_machine.vm", "error"),
    ]


def test_fixed_resource_name_across_module_instances_is_arc204(project) -> None:
    fixed = CONNECT.replace('"${name}"', "arc-web")
    report = project({"main.tf": ROOT, "server/main.tf": SERVER, "server/connect.sh.tftpl": fixed})
    assert brief(report, "ARC204") == [
        ("ARC204", "server/main.tf", 6, "module.web.azurerm_linux_virtual_machine.vm", "error")
    ]
    assert "all 3 instances" in report.findings[-1].message or any(
        "all 3 instances" in f.message for f in report.findings if f.rule == "ARC204"
    )


def test_address_helpers() -> None:
    address = 'module.a["x.y]"].module.b[3].aws_instance.vm["k\\"q"]'
    assert unkeyed(address) == "module.a.module.b.aws_instance.vm"
    assert split_keys(address)[1] == ["x.y]", "3", 'k"q']
    assert instance_label(address) == 'x.y]/3/k"q'
    assert unkeyed("aws_instance.vm") == "aws_instance.vm" and instance_label("aws_instance.vm") == ""
    assert without_own_key(address) == 'module.a["x.y]"].module.b[3].aws_instance.vm'
    known = {"m[0].x.vm[0]": 1, "m[0].x.vm[1]": 2, "m[1].x.vm[0]": 3}
    assert named({"m[0].x.vm[1]", "m[0].x.vm"}, known) == [2]  # the instance named exactly
    assert named({"m[0].x.vm"}, known) == [1, 2]  # every instance of the resource named without its key


EXTENSION_PER_INSTANCE = """resource "azurerm_windows_virtual_machine" "vm" {
  META
  name = "vm"
}

resource "azurerm_virtual_machine_extension" "arc" {
  META
  name                 = "arc"
  virtual_machine_id   = azurerm_windows_virtual_machine.vm[KEY].id
  publisher            = "Microsoft.Compute"
  type                 = "CustomScriptExtension"
  type_handler_version = "1.10"
  settings             = jsonencode({ commandToExecute = "powershell -c azcmagent connect -g rg -l westeurope" })
}
"""


def test_an_extension_per_instance_attaches_to_its_own_instance(project) -> None:
    counted = EXTENSION_PER_INSTANCE.replace("META", "count = 2").replace("KEY", "count.index")
    report = project({"main.tf": counted})
    assert brief(report) == [("ARC101", "main.tf", 1, "azurerm_windows_virtual_machine.vm", "error")]
    assert report.findings[0].instances == ("0", "1") and report.targets == 2
    keyed = EXTENSION_PER_INSTANCE.replace("META", 'for_each = toset(["a", "b"])').replace("KEY", "each.key")
    report = project({"main.tf": keyed})
    assert brief(report) == [("ARC101", "main.tf", 1, "azurerm_windows_virtual_machine.vm", "error")]
    assert report.findings[0].instances == ("a", "b")


def test_an_extension_on_one_instance_names_that_instance(project) -> None:
    one = (
        EXTENSION_PER_INSTANCE.replace('  META\n  name                 = "arc"', '  name                 = "arc"')
        .replace("META", "count = 2")
        .replace("KEY", "1")
    )
    report = project({"main.tf": one})
    assert brief(report) == [("ARC101", "main.tf", 1, "azurerm_windows_virtual_machine.vm[1]", "error")]
