"""The foundation issue's acceptance scenarios, each as a small project."""

from __future__ import annotations

import datetime
from pathlib import Path

from conftest import brief, only, run_scan, write

AZURE_VM = """
resource "azurerm_linux_virtual_machine" "lab" {
  name                = "vm-lab"
  resource_group_name = "rg"
  location            = "westeurope"
  size                = "Standard_D2s_v5"
  admin_username      = "azureuser"

  source_image_reference {
    publisher = "Canonical"
    offer     = "0001-com-ubuntu-server-jammy"
    sku       = "22_04-lts-gen2"
    version   = "latest"
  }

  custom_data = base64encode(templatefile("scripts/x.sh.tftpl", { rg = "rg-arc", location = "westeurope" }))
}
"""

CONNECT = 'azcmagent connect --resource-group "${rg}" --location "${location}" --config /etc/arc.json\n'
TEST_FLAG = "export MSFT_ARC_TEST=true\nsudo systemctl set-environment MSFT_ARC_TEST=true\n"
GUEST_AGENT = "sudo systemctl stop walinuxagent\nsudo systemctl disable walinuxagent\n"
IMDS = "sudo ufw --force enable\nsudo ufw deny out from any to 169.254.169.254\n"


def test_templatefile_custom_data_that_connects_is_arc101_on_the_vm(project) -> None:
    report = project({"main.tf": AZURE_VM, "scripts/x.sh.tftpl": "#!/bin/bash\n" + CONNECT})
    assert brief(report) == [("ARC101", "main.tf", 2, "azurerm_linux_virtual_machine.lab", "error")]
    (finding,) = report.findings
    assert [(e.file, e.line) for e in finding.evidence] == [("scripts/x.sh.tftpl", 2)]
    assert 'azcmagent connect --resource-group "rg-arc"' in finding.evidence[0].text
    assert "scripts/x.sh.tftpl:2" in finding.message


def test_complete_evaluation_setup_gives_no_arc101_or_arc102(project) -> None:
    script = "#!/bin/bash\n" + TEST_FLAG + GUEST_AGENT + IMDS + CONNECT
    report = project({"main.tf": AZURE_VM, "scripts/x.sh.tftpl": script})
    assert brief(report) == []


def test_partial_evaluation_setup_is_arc102_naming_the_missing_steps(project) -> None:
    script = "#!/bin/bash\n" + TEST_FLAG + IMDS + CONNECT
    report = project({"main.tf": AZURE_VM, "scripts/x.sh.tftpl": script})
    assert brief(report) == [("ARC102", "main.tf", 2, "azurerm_linux_virtual_machine.lab", "error")]
    message = report.findings[0].message
    assert "misses: Azure guest agent disabled" in message
    assert "MSFT_ARC_TEST set, IMDS (169.254.169.254) blocked" in message


PACKER = """
source "amazon-ebs" "ubuntu" {
  region        = "eu-west-1"
  instance_type = "t3.small"
  source_ami_filter {
    filters = { name = "ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-*" }
    owners  = ["099720109477"]
  }
}

build {
  name    = "golden"
  sources = ["source.amazon-ebs.ubuntu"]
  provisioner "shell" {
    inline = [%s]
  }
}
"""


def test_packer_build_that_connects_is_arc201_on_the_build(project) -> None:
    report = project({"golden.pkr.hcl": PACKER % '"sudo azcmagent connect --resource-group rg --location westeurope"'})
    assert brief(report) == [("ARC201", "golden.pkr.hcl", 11, "build.golden", "error")]
    assert report.findings[0].evidence[0].line == 15


def test_packer_build_that_only_installs_gives_nothing_that_fails(project) -> None:
    report = project({"golden.pkr.hcl": PACKER % '"sudo apt-get install -y azcmagent"'})
    assert not report.failed("warning")
    assert brief(report) == []


LEGACY = (
    """{
  "variables": {"rg": "rg-arc"},
  "builders": [{"type": "amazon-ebs", "name": "ubuntu", "source_ami_filter": {"filters": {"name": "ubuntu/images/"""
    """hvm-ssd/ubuntu-jammy-22.04-amd64-server-*"}, "owners": ["099720109477"]}}],
  "provisioners": [{"type": "shell", "inline": [%s]}]
}
"""
)


def test_legacy_json_template_works_the_same(project) -> None:
    report = project(
        {"golden.json": LEGACY % '"azcmagent connect --resource-group {{user `rg`}} --location westeurope"'}
    )
    assert brief(report) == [("ARC201", "golden.json", 3, "source.amazon-ebs.ubuntu", "error")]
    assert "--resource-group rg-arc" in report.findings[0].evidence[0].text


def test_legacy_json_install_only_gives_nothing(project) -> None:
    assert brief(project({"golden.json": LEGACY % '"sudo apt-get install -y azcmagent"'})) == []


ASG = """
resource "aws_launch_template" "web" {
  image_id      = "ami-0123456789abcdef0"
  instance_type = "t3.small"
  user_data     = base64encode(file("onboard.sh"))
}

resource "aws_autoscaling_group" "web" {
  min_size = 1
  max_size = 4
  launch_template {
    id = aws_launch_template.web.id
  }
}

resource "aws_instance" "spot" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "c6i.large"
  user_data     = file("onboard.sh")
  instance_market_options {
    market_type = "spot"
  }
}
"""


def test_group_with_onboarding_template_is_arc301_and_spot_is_arc302(project) -> None:
    report = project({"main.tf": ASG, "onboard.sh": "azcmagent connect -g rg -l westeurope\n"})
    assert brief(report, "ARC301") == [("ARC301", "main.tf", 8, "aws_autoscaling_group.web", "warning")]
    assert brief(report, "ARC302") == [("ARC302", "main.tf", 16, "aws_instance.spot", "warning")]


XENIAL = """
data "aws_ami" "xenial" {
  owners = ["099720109477"]
  filter {
    name   = "name"
    values = ["ubuntu/images/hvm-ssd/ubuntu-xenial-16.04-amd64-server-*"]
  }
}

resource "aws_instance" "legacy" {
  ami           = data.aws_ami.xenial.id
  instance_type = "t3.medium"
  user_data     = "azcmagent connect -g rg -l westeurope"
}
"""


def test_ubuntu_1604_is_arc402_error_after_the_end_date(project) -> None:
    report = project({"main.tf": XENIAL}, as_of=datetime.date(2026, 11, 27))
    assert brief(report, "ARC402") == [("ARC402", "main.tf", 10, "aws_instance.legacy", "error")]
    message = report.findings[0].message
    assert "last agent version 1.44" in message and "2025-07-15" in message


def test_ubuntu_1604_is_arc402_warning_before_the_end_date(project) -> None:
    report = project({"main.tf": XENIAL}, as_of=datetime.date(2025, 1, 1))
    assert brief(report, "ARC402") == [("ARC402", "main.tf", 10, "aws_instance.legacy", "warning")]


def test_older_matrix_edition_can_be_selected(project) -> None:
    report = project({"main.tf": XENIAL}, as_of=datetime.date(2025, 1, 1), matrix="2025-09-16")
    assert report.matrix == "2025-09-16"
    assert "no longer listed" not in report.findings[0].message


def test_rhel9_on_graviton_is_arc403(project) -> None:
    tf = """
data "aws_ami" "rhel" {
  owners = ["309956199498"]
  filter {
    name   = "name"
    values = ["RHEL-9.4*_HVM-*"]
  }
}
resource "aws_instance" "api" {
  ami           = data.aws_ami.rhel.id
  instance_type = "m7g.large"
  user_data     = "azcmagent connect -g rg -l westeurope"
}
"""
    assert brief(project({"main.tf": tf}), "ARC403") == [("ARC403", "main.tf", 9, "aws_instance.api", "error")]


def test_i386_iso_is_arc404(project) -> None:
    pkr = """
source "vsphere-iso" "deb" {
  iso_url = "https://mirror.example.internal/debian-12.5.0-i386-netinst.iso"
}
build {
  name    = "kiosk"
  sources = ["source.vsphere-iso.deb"]
  provisioner "shell" {
    inline = ["apt-get install -y azcmagent"]
  }
}
"""
    assert brief(project({"kiosk.pkr.hcl": pkr})) == [("ARC404", "kiosk.pkr.hcl", 5, "build.kiosk", "error")]


def test_ubuntu_1404_is_arc401(project) -> None:
    """Unlisted, and it starts with Upstart: no systemd for the agent (ARC409)."""
    tf = XENIAL.replace("xenial-16.04", "trusty-14.04")
    assert brief(project({"main.tf": tf})) == [
        ("ARC401", "main.tf", 10, "aws_instance.legacy", "error"),
        ("ARC409", "main.tf", 10, "aws_instance.legacy", "warning"),
    ]


def test_targets_without_arc_give_nothing(project) -> None:
    tf = XENIAL.replace(
        'user_data     = "azcmagent connect -g rg -l westeurope"', 'user_data = "apt-get install -y nginx"'
    )
    vm = AZURE_VM.replace(
        'templatefile("scripts/x.sh.tftpl", { rg = "rg-arc", location = "westeurope" })', '"echo hello"'
    )
    vmss = vm.replace("azurerm_linux_virtual_machine", "azurerm_linux_virtual_machine_scale_set").replace(
        "size ", "sku  "
    )
    report = project({"aws.tf": tf, "vm.tf": vm, "vmss/main.tf": vmss})
    assert brief(report) == []
    assert report.targets == 3


def test_broken_file_is_arc001_and_the_others_are_still_scanned(project) -> None:
    report = project(
        {
            "a.tf": XENIAL,
            "b.tf": 'resource "aws_instance" "x" {\n  ami = "ami-1"\n  tags = {\n',
            "c.tf": 'variable "unused" {\n  default = 1\n}\n',
        }
    )
    assert brief(report) == [
        ("ARC402", "a.tf", 10, "aws_instance.legacy", "error"),
        ("ARC001", "b.tf", 4, "", "error"),
    ]
    assert report.files == 3


def test_suppression_on_the_line_above_covers_the_block(project) -> None:
    tf = XENIAL.replace(
        'resource "aws_instance"', '# arclint:ignore ARC402,ARC101 legacy box, retired in Q1\nresource "aws_instance"'
    )
    report = project({"main.tf": tf})
    assert brief(report) == []


def test_suppression_that_matches_nothing_is_arc003(project) -> None:
    tf = XENIAL.replace('resource "aws_instance"', '# arclint:ignore ARC101 not an Azure VM\nresource "aws_instance"')
    report = project({"main.tf": tf})
    assert brief(report) == [
        ("ARC003", "main.tf", 10, "", "warning"),
        ("ARC402", "main.tf", 11, "aws_instance.legacy", "error"),
    ]


def test_suppression_by_name_on_the_first_line(project) -> None:
    tf = XENIAL.replace(
        'resource "aws_instance" "legacy" {',
        'resource "aws_instance" "legacy" { # arclint:ignore os-limited-support retiring',
    )
    assert brief(project({"main.tf": tf})) == []


def test_file_outside_the_scan_root_is_not_read(tmp_path: Path) -> None:
    write(tmp_path, {"secret.sh": "azcmagent connect -g rg -l westeurope\n"})
    write(
        tmp_path / "repo",
        {"main.tf": 'resource "aws_instance" "x" {\n  ami = "ami-1"\n  user_data = file("../secret.sh")\n}\n'},
    )
    report = run_scan(tmp_path / "repo")
    assert brief(report) == [("ARC002", "main.tf", 1, "aws_instance.x", "info")]
    assert "outside the scan root" in report.findings[0].message


MODULE_ROOT = """
module "web" {
  source = "../modules/vm"
  name   = "web"
  image  = "debian-cloud/debian-10"
}

module "api" {
  source = "../modules/vm"
  name   = "api"
  image  = "debian-cloud/debian-12"
}
"""

MODULE_VM = """
variable "name" {}
variable "image" {}

resource "google_compute_instance" "this" {
  name         = var.name
  machine_type = "e2-small"
  zone         = "europe-west1-b"
  boot_disk {
    initialize_params {
      image = var.image
    }
  }
  network_interface {
    network = "default"
  }
  metadata_startup_script = templatefile("${path.module}/onboard.sh.tftpl", { name = var.name })
}
"""


def test_local_module_inputs_decide_the_os_per_call(project) -> None:
    report = project(
        {
            "live/main.tf": MODULE_ROOT,
            "modules/vm/main.tf": MODULE_VM,
            "modules/vm/onboard.sh.tftpl": 'azcmagent connect -g rg -l westeurope --resource-name "${name}"\n',
        }
    )
    assert brief(report) == [("ARC402", "modules/vm/main.tf", 5, "module.web.google_compute_instance.this", "error")]


def test_remote_module_is_arc002_naming_the_call(project) -> None:
    report = project({"main.tf": 'module "vm" {\n  source  = "Azure/compute/azurerm"\n  version = "5.3.0"\n}\n'})
    assert brief(report) == [("ARC002", "main.tf", 1, "module.vm", "info")]
    assert "terraform init" in report.findings[0].message


def test_modules_json_from_terraform_init_is_followed(project) -> None:
    report = project(
        {
            "main.tf": (
                'module "vm" {\n'
                '  source = "Azure/vm/azurerm"\n'
                '  name   = "web"\n'
                '  image  = "debian-cloud/debian-10"\n'
                "}\n"
            ),
            ".terraform/modules/modules.json": (
                '{"Modules": [{"Key": "", "Source": "", "Dir": "."}, {"Key": "vm", "Source": '
                '"registry.terraform.io/Azure/vm/azurerm", "Dir": ".terraform/modules/vm"}]}'
            ),
            ".terraform/modules/vm/main.tf": MODULE_VM,
            ".terraform/modules/vm/onboard.sh.tftpl": "azcmagent connect -g rg -l westeurope\n",
        }
    )
    assert brief(report) == [
        ("ARC402", ".terraform/modules/vm/main.tf", 5, "module.vm.google_compute_instance.this", "error")
    ]


def test_recursive_modules_end_with_arc002(project) -> None:
    report = project({"main.tf": 'module "self" {\n  source = "./"\n}\n'})
    assert brief(report) == [("ARC002", "main.tf", 1, "module.self", "info")]
    assert "recursive" in report.findings[0].message


def test_module_instances_with_count_get_instance_addresses(project) -> None:
    root = (
        'module "vm" {\n'
        "  count  = 2\n"
        '  source = "./vm"\n'
        '  name   = "vm${count.index}"\n'
        '  image  = count.index == 0 ? "debian-cloud/debian-10" : "debian-cloud/debian-12"\n'
        "}\n"
    )
    report = project({"main.tf": root, "vm/main.tf": MODULE_VM, "vm/onboard.sh.tftpl": "azcmagent connect -g rg\n"})
    assert brief(report) == [("ARC402", "vm/main.tf", 5, "module.vm[0].google_compute_instance.this", "error")]


def test_finding_on_only_some_instances_keeps_instance_addresses(project) -> None:
    tf = AZURE_VM.replace(
        '  custom_data = base64encode(templatefile("scripts/x.sh.tftpl", { rg = "rg-arc", location = "westeurope" }))',
        '  count       = 2\n  custom_data = count.index == 0 ? base64encode("azcmagent connect -g rg") : null',
    )
    report = project({"main.tf": tf})
    assert brief(report) == [("ARC101", "main.tf", 2, "azurerm_linux_virtual_machine.lab[0]", "error")]


def test_finding_common_to_all_instances_is_reported_once(project) -> None:
    tf = AZURE_VM.replace("  custom_data", "  count = 3\n  custom_data")
    report = project({"main.tf": tf, "scripts/x.sh.tftpl": CONNECT})
    assert brief(report) == [("ARC101", "main.tf", 2, "azurerm_linux_virtual_machine.lab", "error")]


def test_huge_count_is_not_expanded(project) -> None:
    tf = AZURE_VM.replace("  custom_data", "  count = 100000000\n  custom_data")
    report = project({"main.tf": tf, "scripts/x.sh.tftpl": CONNECT})
    assert sorted(brief(report)) == [
        ("ARC002", "main.tf", 2, "azurerm_linux_virtual_machine.lab", "info"),
        ("ARC101", "main.tf", 2, "azurerm_linux_virtual_machine.lab", "error"),
    ]
    assert "more than the 256 instances" in only(report, "ARC002").message


def test_count_zero_means_no_target(project) -> None:
    tf = AZURE_VM.replace("  custom_data", "  count = 0\n  custom_data")
    report = project({"main.tf": tf, "scripts/x.sh.tftpl": CONNECT})
    assert brief(report) == [] and report.targets == 0


def test_tfvars_value_decides_the_os(project, tmp_path) -> None:
    tf = XENIAL.replace(
        'values = ["ubuntu/images/hvm-ssd/ubuntu-xenial-16.04-amd64-server-*"]', "values = [var.ami_name]"
    )
    files = {
        "main.tf": 'variable "ami_name" {}\n' + tf,
        "prod.tfvars": 'ami_name = "ubuntu/images/hvm-ssd/ubuntu-xenial-16.04-amd64-server-*"\n',
    }
    without = project(files)
    assert brief(without) == [("ARC002", "main.tf", 11, "aws_instance.legacy", "info")]
    assert "var.ami_name has no value" in without.findings[0].message
    with_file = project(files, var_files=(tmp_path / "prod.tfvars",))
    assert brief(with_file) == [("ARC402", "main.tf", 11, "aws_instance.legacy", "error")]


def test_variable_default_in_an_ami_filter(project) -> None:
    tf = XENIAL.replace(
        'values = ["ubuntu/images/hvm-ssd/ubuntu-xenial-16.04-amd64-server-*"]', "values = [var.ami_name]"
    )
    report = project(
        {
            "main.tf": (
                'variable "ami_name" {\n  default = "ubuntu/images/hvm-ssd/ubuntu-xenial-16.04-amd64-server-*"\n}\n'
            )
            + tf
        }
    )
    assert brief(report) == [("ARC402", "main.tf", 13, "aws_instance.legacy", "error")]


def _plan(instances: dict[str, str | None]) -> str:
    import base64
    import json

    def vm(key: str, script: str | None) -> dict[str, object]:
        values: dict[str, object] = {"name": f"vm-{key}", "size": "Standard_B2s"}
        if script:
            values["custom_data"] = base64.b64encode(script.encode()).decode()
        return {
            "address": f'module.vm["{key}"].azurerm_linux_virtual_machine.this',
            "mode": "managed",
            "type": "azurerm_linux_virtual_machine",
            "name": "this",
            "values": values,
        }

    modules = [{"address": f'module.vm["{k}"]', "resources": [vm(k, s)]} for k, s in instances.items()]
    return json.dumps(
        {
            "format_version": "1.2",
            "planned_values": {"root_module": {"child_modules": modules}},
            "resource_changes": [],
        },
        indent=2,
    )


PLAN_MODULE = """
variable "script" {
  default = null
}

resource "azurerm_linux_virtual_machine" "this" {
  name        = "vm"
  size        = "Standard_B2s"
  custom_data = var.script
}
"""


def test_plan_json_finds_the_exact_instance(project) -> None:
    report = project({"plan.json": _plan({"a": "#!/bin/bash\nazcmagent connect -g rg -l westeurope\n", "b": None})})
    assert brief(report) == [("ARC101", "plan.json", 9, 'module.vm["a"].azurerm_linux_virtual_machine.this', "error")]


def test_plan_findings_point_at_the_configuration_when_it_is_scanned(project, tmp_path) -> None:
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "plan.json").write_text(_plan({"a": "azcmagent connect -g rg\n", "b": None}))
    report = project(
        {
            "main.tf": 'module "vm" {\n  for_each = toset(["a", "b"])\n  source   = "./vm"\n}\n',
            "vm/main.tf": PLAN_MODULE,
        },
        plans=(tmp_path / "out" / "plan.json",),
    )
    assert brief(report) == [("ARC101", "vm/main.tf", 6, 'module.vm["a"].azurerm_linux_virtual_machine.this', "error")]
    assert [(e.file, e.line) for e in report.findings[0].evidence] == [("vm/main.tf", 9)]


def test_resource_deleted_by_the_plan_is_not_a_target(project) -> None:
    import json

    plan = json.loads(_plan({"a": "azcmagent connect -g rg\n"}))
    plan["resource_changes"] = [
        {"address": 'module.vm["a"].azurerm_linux_virtual_machine.this', "change": {"actions": ["delete"]}}
    ]
    report = project({"plan.json": json.dumps(plan)})
    assert brief(report) == [] and report.targets == 0


def test_platform_image_data_source_is_os_evidence(project) -> None:
    tf = """
data "azurerm_platform_image" "centos" {
  location  = "westeurope"
  publisher = "OpenLogic"
  offer     = "CentOS"
  sku       = "7_9-gen2"
}

resource "azurerm_linux_virtual_machine" "lab" {
  name            = "vm"
  size            = "Standard_B2s"
  source_image_id = data.azurerm_platform_image.centos.id
  custom_data     = base64encode("#!/bin/bash\\nazcmagent connect -g rg\\n")
}
"""
    report = project({"main.tf": tf})
    assert brief(report) == [
        ("ARC101", "main.tf", 9, "azurerm_linux_virtual_machine.lab", "error"),
        ("ARC402", "main.tf", 9, "azurerm_linux_virtual_machine.lab", "error"),
    ]


def test_packer_template_cloned_by_name_in_a_sibling_folder(project) -> None:
    pkr = """
source "vsphere-iso" "ubuntu" {
  guest_os_type       = "ubuntu64Guest"
  iso_paths           = ["[ds1] iso/ubuntu-22.04.4-live-server-amd64.iso"]
  vm_name             = "tpl-ubuntu-22.04"
  convert_to_template = true
}

build {
  name    = "ubuntu-template"
  sources = ["source.vsphere-iso.ubuntu"]
  provisioner "shell" {
    script = "scripts/arc.sh"
  }
}
"""
    tf = """
data "vsphere_virtual_machine" "tpl" {
  name = "tpl-ubuntu-22.04"
}
""" + "".join(
        f"""
resource "vsphere_virtual_machine" "vm{i}" {{
  name = "vm{i}"
  clone {{
    template_uuid = data.vsphere_virtual_machine.tpl.id
  }}
}}
"""
        for i in range(3)
    )
    report = project(
        {
            "packer/ubuntu.pkr.hcl": pkr,
            "packer/scripts/arc.sh": "#!/bin/bash\nsudo azcmagent connect -g rg -l westeurope\n",
            "terraform/main.tf": tf,
        }
    )
    assert brief(report) == [
        ("ARC201", "packer/ubuntu.pkr.hcl", 9, "build.ubuntu-template", "error"),
        ("ARC203", "terraform/main.tf", 6, "vsphere_virtual_machine.vm0", "error"),
        ("ARC203", "terraform/main.tf", 13, "vsphere_virtual_machine.vm1", "error"),
        ("ARC203", "terraform/main.tf", 20, "vsphere_virtual_machine.vm2", "error"),
    ]
    evidence = [(e.file, e.line) for e in report.findings[1].evidence]
    assert evidence == [("terraform/main.tf", 2), ("packer/ubuntu.pkr.hcl", 5), ("packer/scripts/arc.sh", 2)]


def test_script_written_by_local_file_and_run_by_a_provisioner(project) -> None:
    tf = (
        XENIAL.replace(
            '  user_data     = "azcmagent connect -g rg -l westeurope"\n',
            """
  provisioner "file" {
    source      = "scripts/onboard.sh"
    destination = "/tmp/onboard.sh"
  }
  provisioner "remote-exec" {
    inline = ["sudo bash /tmp/onboard.sh"]
  }
""",
        )
        + """
resource "local_file" "onboard" {
  content  = templatefile("scripts/onboard.sh.tmpl", { rg = "rg-arc" })
  filename = "scripts/onboard.sh"
}
"""
    )
    report = project(
        {"main.tf": tf, "scripts/onboard.sh.tmpl": '#!/bin/bash\nazcmagent connect -g "${rg}" -l westeurope\n'}
    )
    assert brief(report) == [("ARC402", "main.tf", 10, "aws_instance.legacy", "error")]
    assert (report.findings[0].evidence[1].file, report.findings[0].evidence[1].line) == ("scripts/onboard.sh.tmpl", 2)


QEMU_SOURCES = """
source "qemu" "debian" {
  iso_url = "debian-12.5.0-amd64-netinst.iso"
}
source "qemu" "trixie" {
  iso_url = "debian-13.0.0-amd64-netinst.iso"
}
"""
CONNECTS = '  provisioner "shell" {\n    inline = ["azcmagent connect -g rg -l westeurope"]\n  }\n'


def test_packer_builds_are_addressed_as_packer_names_them(project) -> None:
    """Packer names a build ``<type>.<name>`` (``<build name>.`` before it when named; a ``source`` block's
    ``name`` renames it): unnamed builds take that name, named ones stay ``build.<name>``."""
    builds = (
        'build {\n  sources = ["source.qemu.debian"]\n' + CONNECTS + "}\n"  # line 8: unnamed, one source
        'build {\n  sources = ["source.qemu.debian", "source.qemu.trixie"]\n'
        + CONNECTS
        + "}\n"  # line 14: unnamed, two
        'build {\n  source "source.qemu.debian" {\n    name = "renamed"\n  }\n' + CONNECTS + "}\n"  # line 20: override
        'build {\n  name    = "pair"\n  sources = ["qemu.debian"]\n'
        '  source "sources.qemu.trixie" {\n    name = "t2"\n  }\n' + CONNECTS + "}\n"  # line 28
        'build {\n  name    = "one"\n  sources = ["source.qemu.trixie"]\n'
        + CONNECTS
        + "}\n"  # line 38: named, one source
    )
    report = project({"images.pkr.hcl": QEMU_SOURCES + builds})
    assert brief(report, "ARC201") == [
        ("ARC201", "images.pkr.hcl", 8, "qemu.debian", "error"),
        ("ARC201", "images.pkr.hcl", 14, "qemu.debian", "error"),
        ("ARC201", "images.pkr.hcl", 14, "qemu.trixie", "error"),
        ("ARC201", "images.pkr.hcl", 20, "qemu.renamed", "error"),
        ("ARC201", "images.pkr.hcl", 28, "build.pair[qemu.debian]", "error"),
        ("ARC201", "images.pkr.hcl", 28, "build.pair[qemu.t2]", "error"),
        ("ARC201", "images.pkr.hcl", 38, "build.one", "error"),
    ]


def test_a_suppression_on_an_unnamed_build_still_covers_it(project) -> None:
    builds = (
        (
            "# arclint:ignore ARC201 golden lab image, generalized before capture\n"
            "build {\n"
            '  sources = ["source.qemu.debian"]\n'
        )
        + CONNECTS
        + "}\n"
    )
    assert brief(project({"images.pkr.hcl": QEMU_SOURCES + builds})) == []


VSPHERE_ONBOARDED = """
resource "vsphere_virtual_machine" "vm" {
  name     = "vm"
  guest_id = "GUEST"
  extra_config = {
    "guestinfo.userdata" = "azcmagent connect --resource-group rg --location westeurope"
  }
}
"""


def test_2008_r2_without_sp_marker_is_arc402_at_best_sp1(project) -> None:
    report = project({"main.tf": VSPHERE_ONBOARDED.replace("GUEST", "windows7Server64Guest")})
    assert brief(report) == [("ARC402", "main.tf", 2, "vsphere_virtual_machine.vm", "error")]
    assert report.findings[0].message == (
        "vsphere_virtual_machine.vm onboards Windows Server 2008 R2 (at best Windows Server 2008 R2 SP1), which has "
        "limited support: last agent version 1.39, Arc support ended on 2025-03-31 (no longer listed in the 2026-08-20 "
        "support table); Windows Server 2008 R2 SP1 also needs PowerShell 4.0 and the installer's -AltDownload "
        "https://aka.ms/AzureConnectedMachineAgent-1.39"
    )


def test_os_readings_some_fine_some_not_are_arc002_naming_them(project) -> None:
    report = project({"main.tf": VSPHERE_ONBOARDED.replace("GUEST", "sles15_64Guest")})
    assert brief(report) == [("ARC002", "main.tf", 2, "vsphere_virtual_machine.vm", "info")]
    assert report.findings[0].message == (
        "vsphere_virtual_machine.vm: cannot tell whether its OS is supported: SLES 15 may be "
        "SUSE Linux Enterprise Server (SLES) 15 SP3 (limited support), SUSE Linux Enterprise Server (SLES) 15 SP4 "
        "(supported), SUSE Linux Enterprise Server (SLES) 15 SP5-7 (supported) or a version the table does not list "
        "(support table 2026-08-20)"
    )
    assert [(e.file, e.line) for e in report.findings[0].evidence] == [("main.tf", 4)]


def test_os_readings_that_are_all_supported_give_nothing(project) -> None:
    report = project({"main.tf": VSPHERE_ONBOARDED.replace("GUEST", "windows8Server64Guest")})
    assert brief(report) == []


def test_os_readings_without_onboarding_give_nothing(project) -> None:
    text = VSPHERE_ONBOARDED.replace("GUEST", "sles15_64Guest").replace("azcmagent connect", "echo")
    assert brief(project({"main.tf": text})) == []
