"""ARC405 (Windows client OS), ARC406 (CIS hardening) and ARC409 (Linux prerequisites): the facts behind them."""

from __future__ import annotations

import pytest
from arclint.model import osimage, signals

from conftest import brief, only

KIOSK = """\
source "hyperv-iso" "kiosk" {
  iso_url      = "iso/en-us_windows_10_iot_enterprise_ltsc_2021_x64_dvd_257ad90f.iso"
  iso_checksum = "none"
  communicator = "winrm"
}

build {
  sources = ["source.hyperv-iso.kiosk"]
  provisioner "powershell" {
    scripts = [STEPS]
  }
}
"""
INSTALL = "msiexec /i AzureConnectedMachineAgent.msi /qn\n"
CIS_SCRIPT = (
    "<#\n"
    "  Applies the CIS Microsoft Windows 10 Enterprise Benchmark v3.0.0 Level 1\n"
    "#>\n"
    "secedit /configure /cfg secpol.inf\n"
)
PLAIN_SCRIPT = "secedit /configure /cfg secpol.inf\n"


def _kiosk(project, steps: list[str], files: dict[str, str]):  # type: ignore[no-untyped-def]
    listed = ", ".join(f'"{s}"' for s in steps)
    return project({"kiosk.pkr.hcl": KIOSK.replace("STEPS", listed), **files})


def test_hyperv_windows_10_iot_ltsc_build_that_installs_the_agent_is_arc405(project) -> None:
    report = _kiosk(project, ["install.ps1"], {"install.ps1": INSTALL})
    assert brief(report) == [("ARC405", "kiosk.pkr.hcl", 7, "hyperv-iso.kiosk", "warning")]
    assert "Windows IoT Enterprise LTSC 10" in report.findings[0].message
    assert "always connected to the internet, connected to a power source and powered on" in report.findings[0].message


def test_the_same_build_applying_a_cis_benchmark_script_is_arc405_and_arc406(project) -> None:
    report = _kiosk(project, ["baseline.ps1", "install.ps1"], {"baseline.ps1": CIS_SCRIPT, "install.ps1": INSTALL})
    assert brief(report) == [
        ("ARC405", "kiosk.pkr.hcl", 7, "hyperv-iso.kiosk", "warning"),
        ("ARC406", "kiosk.pkr.hcl", 7, "hyperv-iso.kiosk", "warning"),
    ]
    cis = report.findings[1]
    assert [(e.file, e.line) for e in cis.evidence] == [("baseline.ps1", 2), ("install.ps1", 1)]


def test_a_cis_script_named_so_is_a_hardening_step_even_without_a_header(project) -> None:
    report = _kiosk(
        project, ["cis-level1.ps1", "install.ps1"], {"cis-level1.ps1": PLAIN_SCRIPT, "install.ps1": INSTALL}
    )
    assert brief(report, "ARC406") == [("ARC406", "kiosk.pkr.hcl", 7, "hyperv-iso.kiosk", "warning")]
    assert report.findings[-1].evidence[0].text == "provisioner runs cis-level1.ps1"


def test_hardening_without_the_agent_is_no_finding(project) -> None:
    report = _kiosk(project, ["baseline.ps1"], {"baseline.ps1": CIS_SCRIPT})
    assert brief(report) == []


@pytest.mark.parametrize(
    ("line", "step"),
    [
        ("# Applies the CIS Benchmark Level 1", "CIS Benchmark"),
        ("    - role: RHEL8-CIS", "RHEL8-CIS"),
        ("- UBUNTU22-CIS", "UBUNTU22-CIS"),
        ("  include_role: {name: Windows-2022-CIS}", "Windows-2022-CIS"),
        ("ansible-galaxy install git+https://github.com/ansible-lockdown/AMAZON2023-CIS.git", "ansible-lockdown"),
        ("Invoke-CISHardening -Level 1", "CISHardening"),
        ('"name": "CIS-Hardening",', "CIS-Hardening"),
        ("./cis_l1.sh", "cis_l1"),
        ("# CIS Ubuntu Linux 22.04 LTS Benchmark v2.0.0", "CIS Ubuntu Linux 22.04 LTS Benchmark"),
    ],
)
def test_hardening_steps_are_recognised(line: str, step: str) -> None:
    found = [s for s in signals.scan(f"#!/bin/bash\n{line}\n") if s.kind == "harden"]
    assert [(s.line, s.detail["step"]) for s in found] == [(1, step)]


@pytest.mark.parametrize(
    "line",
    [
        "precise decision for cisco",
        "export CISCO_HOST=router1",
        "francis-benchmark run",
        "rhel9cis_rule_1_1_1: true",
        "apt-get install -y cissy",
    ],
)
def test_words_that_merely_contain_cis_are_not_hardening(line: str) -> None:
    assert [s for s in signals.scan(line) if s.kind == "harden"] == []


# --- ARC409 ------------------------------------------------------------------------------------

AWS = """\
data "aws_ami" "os" {
  owners = ["OWNER"]
  filter {
    name   = "name"
    values = ["NAME"]
  }
}

resource "aws_instance" "app" {
  ami           = data.aws_ami.os.id
  instance_type = "t3.small"
  user_data     = <<-EOT
    #!/bin/bash
    REMOVE
    curl -sSL -o /tmp/install_linux_azcmagent.sh https://gbl.his.arc.azure.com/azcmagent-linux
    bash /tmp/install_linux_azcmagent.sh
  EOT
}
"""
UBUNTU = ("099720109477", "ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-*")
RHEL = ("309956199498", "RHEL-9.4*_HVM-*-x86_64-*")
UNKNOWN = ("123456789012", "golden-base-*")


def _aws(project, image: tuple[str, str], remove: str):  # type: ignore[no-untyped-def]
    return project({"main.tf": AWS.replace("OWNER", image[0]).replace("NAME", image[1]).replace("REMOVE", remove)})


@pytest.mark.parametrize(
    ("image", "remove", "packages"),
    [
        (UBUNTU, "apt-get purge -y gnupg", "gnupg"),
        (UBUNTU, "apt-get remove -y wget openssl", "wget, openssl"),
        (RHEL, "dnf remove -y openssl gnupg2", "openssl"),
        (UNKNOWN, "apt-get remove -y gnupg", "gnupg"),  # apt proves a Debian-based system
        (UNKNOWN, "yum remove -y systemd", "systemd"),
    ],
)
def test_removed_prerequisites_are_arc409(project, image: tuple[str, str], remove: str, packages: str) -> None:
    report = _aws(project, image, remove)
    assert brief(report, "ARC409") == [("ARC409", "main.tf", 9, "aws_instance.app", "warning")]
    found = only(report, "ARC409")
    assert f"scripts remove {packages};" in found.message
    assert (found.evidence[0].file, found.evidence[0].line) == ("main.tf", 14)


@pytest.mark.parametrize(
    ("image", "remove"),
    [
        (RHEL, "dnf remove -y gnupg2"),  # gnupg is a prerequisite on Debian-based systems only
        (UNKNOWN, "yum remove -y gnupg2"),  # yum proves a system that is not Debian-based
        (UBUNTU, "apt-get remove -y telnet"),
    ],
)
def test_removals_that_are_no_prerequisite_are_not_arc409(project, image: tuple[str, str], remove: str) -> None:
    assert brief(_aws(project, image, remove), "ARC409") == []


def test_removal_without_onboarding_is_not_arc409(project) -> None:
    tf = AWS.replace("OWNER", UBUNTU[0]).replace("NAME", UBUNTU[1]).replace("REMOVE", "apt-get purge -y wget")
    tf = tf.replace(
        (
            "    curl -sSL -o /tmp/install_linux_azcmagent.sh https://gbl.his.arc.azure.com/azcmagent-linux\n"
            "    bash /tmp/install_linux_azcmagent.sh\n"
        ),
        "",
    )
    assert brief(project({"main.tf": tf}), "ARC409") == []


@pytest.mark.parametrize(
    ("info", "init"),
    [
        (osimage.from_aws_ami(["538276064493"], "alpine-3.19.1-x86_64-uefi-cloudinit-r0"), "OpenRC"),
        (osimage.from_image_name("alpine-virt-3.19.1-x86_64.iso"), "OpenRC"),
        (
            osimage.from_aws_ami(["099720109477"], "ubuntu/images/hvm-ssd/ubuntu-trusty-14.04-amd64-server-*"),
            "Upstart",
        ),
        (osimage.from_azure_image("RedHat", "RHEL", "6.10"), "Upstart"),
        (osimage.from_azure_image("OpenLogic", "CentOS", "6.10"), "Upstart"),
        (osimage.from_gcp_image("debian-cloud/debian-7"), "SysV init"),
        (osimage.from_aws_ami(["amazon"], "amzn-ami-hvm-2018.03.*-x86_64-gp2"), "Upstart"),
    ],
)
def test_releases_without_systemd(info: osimage.OSInfo | None, init: str) -> None:
    assert info is not None
    assert osimage.init_system(info) == init
    assert osimage.has_systemd(info) is False


@pytest.mark.parametrize(
    ("info", "expected"),
    [
        (osimage.from_aws_ami(["099720109477"], "ubuntu/images/hvm-ssd/ubuntu-xenial-16.04-amd64-server-*"), True),
        (osimage.from_azure_image("RedHat", "RHEL", "7-LVM"), True),
        (osimage.from_vsphere_guest_id("ubuntu64Guest"), None),  # which Ubuntu is unknown
        (osimage.from_azure_image("MicrosoftWindowsServer", "WindowsServer", "2022-datacenter-g2"), None),
        (None, None),
    ],
)
def test_systemd_is_known_only_when_the_release_is(info: osimage.OSInfo | None, expected: bool | None) -> None:
    assert osimage.has_systemd(info) is expected


def test_alpine_onboarding_is_arc409_and_arc401(project) -> None:
    report = _aws(project, ("538276064493", "alpine-3.19.1-x86_64-uefi-cloudinit-r0"), "")
    assert brief(report) == [
        ("ARC401", "main.tf", 9, "aws_instance.app", "error"),
        ("ARC409", "main.tf", 9, "aws_instance.app", "warning"),
    ]
    assert "Alpine Linux 3.19, which starts with OpenRC, not systemd" in report.findings[1].message


# --- shared image gallery definitions --------------------------------------------------------

GALLERY = """\
resource "azurerm_shared_image" "golden" {
  name                = "NAME"
  gallery_name        = "galimages"
  resource_group_name = "rg-images"
  location            = "westeurope"
  os_type             = "OSTYPE"
  hyper_v_generation  = "V2"
  ARCH

  identifier {
    publisher = "PUBLISHER"
    offer     = "OFFER"
    sku       = "SKU"
  }
}

resource "azurerm_linux_virtual_machine" "lab" {
  name                  = "lab-01"
  resource_group_name   = "rg-lab"
  location              = "westeurope"
  size                  = "Standard_D2s_v5"
  admin_username        = "azureuser"
  network_interface_ids = ["/subscriptions/0/resourceGroups/rg-lab/providers/Microsoft.Network/networkInterfaces/nic"]
  source_image_id       = azurerm_shared_image.golden.id
  custom_data           = base64encode("#!/bin/bash\\nMSFT_ARC_TEST=true azcmagent connect --config /etc/arc.json\\n")

  os_disk {
    caching              = "ReadWrite"
    storage_account_type = "Standard_LRS"
  }
}
"""


def _gallery(project, name: str, ident: tuple[str, str, str], os_type: str = "Linux", arch: str = ""):  # type: ignore[no-untyped-def]
    tf = GALLERY.replace("NAME", name).replace("OSTYPE", os_type).replace("ARCH", arch)
    tf = tf.replace("PUBLISHER", ident[0]).replace("OFFER", ident[1]).replace("SKU", ident[2])
    return project({"main.tf": tf})


def test_shared_image_identifier_is_decoded_as_a_marketplace_urn(project) -> None:
    report = _gallery(project, "golden-ubuntu", ("Canonical", "UbuntuServer", "16.04-LTS"))
    assert ("ARC402", "main.tf", 17, "azurerm_linux_virtual_machine.lab", "error") in brief(report)  # support ended
    found = only(report, "ARC402")
    assert found.evidence[0].text == "azurerm_shared_image golden identifier Canonical:UbuntuServer:16.04-LTS"


def test_shared_image_identifier_of_free_text_is_read_as_a_name(project) -> None:
    report = _gallery(project, "golden", ("contoso", "ubuntu", "14.04-hardened"))
    assert ("ARC401", "main.tf", 17, "azurerm_linux_virtual_machine.lab", "error") in brief(report)


def test_shared_image_architecture_arm64_is_the_arch(project) -> None:
    report = _gallery(project, "golden-rhel", ("RedHat", "RHEL", "9-lvm-gen2"), arch='architecture        = "Arm64"')
    assert ("ARC403", "main.tf", 17, "azurerm_linux_virtual_machine.lab", "error") in brief(report)


def test_shared_image_that_names_no_os_is_arc002(project) -> None:
    report = _gallery(project, "golden", ("contoso", "base", "v3"))
    assert [f.rule for f in report.findings if f.rule.startswith("ARC4")] == []
    unknown = [f for f in report.findings if f.rule == "ARC002" and f.resource == "azurerm_linux_virtual_machine.lab"]
    assert len(unknown) == 1 and "its OS image" in unknown[0].message
