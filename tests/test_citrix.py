"""Citrix MCS machine catalogs: pooled desktops cloned from a master image (arclint.model.citrix)."""

from __future__ import annotations

from conftest import brief

CATALOG = """resource "citrix_machine_catalog" "desktops" {
  name              = "desktops"
  zone              = "zone-1"
  allocation_type   = "ALLOCATION"
  session_support   = "SingleSession"
  provisioning_type = "MCS"
  provisioning_scheme = {
    identity_type            = "ActiveDirectory"
    number_of_total_machines = 10
    CONFIG = {
      MASTER
    }
  }
}
"""
AMI_BUILD = (
    """source "amazon-ebs" "vda" {
  region        = "eu-west-1"
  instance_type = "m6i.large"
  ami_name      = "vda-master-{{timestamp}}"
  source_ami_filter {
    filters = { name = "Windows_Server-2022-English-Full-Base-*" }
    owners  = ["801119661308"]
  }
}

build {
  sources = ["source.amazon-ebs.vda"]
  provisioner "powershell" {
    inline = [
      "msiexec /i C:\\\\Temp\\\\AzureConnectedMachineAgent.msi /qn",
      "Set-Content -Path C:\\\\arc\\\\connect.cmd -Value 'azcmagent connect --config C:\\\\arc\\\\connect.json'",
      "Register-ScheduledTask -TaskName ArcConnect -Trigger (New-ScheduledTaskTrigger -AtStartup) """
    """-Action (New-ScheduledTaskAction -Execute 'C:\\\\arc\\\\connect.cmd')",
    ]
  }
}
"""
)


def _catalog(allocation: str, config: str, master: str) -> str:
    return CATALOG.replace("ALLOCATION", allocation).replace("CONFIG", config).replace("MASTER", master)


def test_a_pooled_catalog_from_a_terraform_master_vm_that_connects_is_arc202_and_arc303(project) -> None:
    vm = (
        'resource "vsphere_virtual_machine" "master" {\n'
        '  name     = "vda-master"\n'
        '  guest_id = "windows2019srvNext_64Guest"\n'
        "  extra_config = {\n"
        '    "guestinfo.userdata" = "azcmagent connect --resource-group rg --location westeurope"\n'
        "  }\n"
        "}\n"
    )
    tf = vm + _catalog(
        "Random",
        "vsphere_machine_config",
        'master_image_vm = "vda-master"\n      cpu_count = 2\n      memory_mb = 4096',
    )
    report = project({"main.tf": tf})
    assert brief(report, "ARC202") == [("ARC202", "main.tf", 8, "citrix_machine_catalog.desktops", "error")]
    assert brief(report, "ARC303") == []  # the master connects itself: a shared identity, not a first-boot connect


def test_a_pooled_catalog_from_a_packer_ami_that_connects_at_first_boot_is_arc303(project) -> None:
    tf = _catalog(
        "Random",
        "aws_machine_config",
        (
            'image_ami = "ami-0123456789abcdef0"\n'
            '      master_image = "vda-master-20261201"\n'
            '      service_offering = "m6i.large"'
        ),
    )
    report = project({"catalog.tf": tf, "vda.pkr.hcl": AMI_BUILD})
    assert brief(report) == [("ARC303", "catalog.tf", 1, "citrix_machine_catalog.desktops", "warning")]
    assert report.findings[0].message.startswith(
        "citrix_machine_catalog.desktops connects a pooled VDI session host to Azure Arc: "
        'allocation_type = "Random" in an MCS catalog'
    )


def test_a_static_catalog_is_not_pooled(project) -> None:
    tf = _catalog(
        "Static",
        "aws_machine_config",
        (
            'image_ami = "ami-0123456789abcdef0"\n'
            '      master_image = "vda-master-20261201"\n'
            '      service_offering = "m6i.large"'
        ),
    )
    assert brief(project({"catalog.tf": tf, "vda.pkr.hcl": AMI_BUILD})) == []


def test_manual_catalogs_are_not_targets(project) -> None:
    tf = CATALOG.replace("ALLOCATION", "Random").replace('provisioning_type = "MCS"', 'provisioning_type = "Manual"')
    report = project({"catalog.tf": tf.replace("CONFIG", "aws_machine_config").replace("MASTER", "")})
    assert report.targets == 0
