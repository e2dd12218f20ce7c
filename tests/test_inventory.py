"""``arclint inventory``: every target with its facts and evidence, as a table, JSON or a Mermaid diagram."""
# ruff: noqa: E501  (the expected table keeps one output line per line)

from __future__ import annotations

import json
from pathlib import Path

from arclint import scan
from arclint.report.inventory import diagram

from conftest import REPO, Cli, write

GOLDEN = """source "amazon-ebs" "ubuntu" {
  region        = "eu-west-1"
  instance_type = "t3.small"
  ami_name      = "golden-ubuntu-{{timestamp}}"
  source_ami_filter {
    filters = { name = "ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-*" }
    owners  = ["099720109477"]
  }
}

build {
  name    = "golden"
  sources = ["source.amazon-ebs.ubuntu"]
  provisioner "shell" {
    script = "scripts/prepare.sh"
  }
}
"""

PREPARE = """#!/bin/bash
sudo apt-get install -y azcmagent
(crontab -l 2>/dev/null; echo "@reboot /opt/arc/connect.sh") | crontab -
cat > /opt/arc/connect.sh <<EOT
azcmagent connect -g rg-arc
EOT
"""

MAIN = """data "aws_ami" "golden" {
  owners = ["self"]
  filter {
    name   = "name"
    values = ["golden-ubuntu-*"]
  }
}

resource "aws_instance" "app" {
  ami           = data.aws_ami.golden.id
  instance_type = "t3.small"
  instance_market_options {
    market_type = "spot"
  }
}

resource "azurerm_linux_virtual_machine" "plain" {
  name = "plain"
  size = "Standard_B2s"
  source_image_reference {
    publisher = "Canonical"
    offer     = "0001-com-ubuntu-server-jammy"
    sku       = "22_04-lts-gen2"
    version   = "latest"
  }
}

resource "aws_instance" "now" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "t3.small"
  user_data     = "#!/bin/bash\\nazcmagent connect -g rg-arc --service-principal-secret \\"${var.secret}\\"\\n"
}

resource "aws_instance" "installs" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "t3.small"
  user_data     = "#!/bin/bash\\nsudo apt-get install -y azcmagent\\n"
}

variable "secret" {
  type      = string
  sensitive = true
  default   = "s3cr3t-value-of-the-principal"
}
"""

FILES = {"golden.pkr.hcl": GOLDEN, "scripts/prepare.sh": PREPARE, "tf/main.tf": MAIN}


def test_mermaid_of_the_examples_draws_packer_builds_their_images_and_the_machine_made_from_one(cli: Cli) -> None:
    code, out, err = cli("inventory", "examples", "--format", "mermaid", cwd=REPO)
    assert (code, err) == (0, "")
    assert out == (
        "flowchart LR\n"
        '  n0[["source.vsphere-iso.centos7<br/>image-build"]]\n'
        '  n1[("tpl-centos-7<br/>vsphere-template")]\n'
        '  n2[["build.ubuntu-golden<br/>image-build"]]\n'
        '  n3[("tpl-ubuntu-22.04<br/>vsphere-template")]\n'
        '  n4[["build.ubuntu-base<br/>image-build"]]\n'
        '  n5[("base-ubuntu-22.04-*<br/>ami")]\n'
        '  n6["aws_instance.erp<br/>machine"]\n'
        "  n0 --> n1\n"
        "  n2 --> n3\n"
        "  n4 --> n5\n"
        "  n5 --> n6\n"
    )


def test_table_lists_every_target_with_its_facts_and_the_evidence_below(cli: Cli, tmp_path: Path) -> None:
    write(tmp_path, FILES)
    code, out, err = cli("inventory")
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "ROLE         TARGET                               PLATFORM  OS            ARCH    LIFECYCLE  ONBOARDING  WHERE",
        "machine      aws_instance.app                     aws       Ubuntu        x86-64  spot       deferred    tf/main.tf:9",
        "    os: tf/main.tf:1: aws_ami golden: owners ['self'], name golden-ubuntu-*",
        '    lifecycle spot: tf/main.tf:13: market_type = "spot"',
        "    onboarding deferred: scripts/prepare.sh:5: azcmagent connect -g rg-arc",
        "    built from build.golden (golden-ubuntu-*): tf/main.tf:1: aws_ami golden name golden-ubuntu-*",
        "machine      azurerm_linux_virtual_machine.plain  azure     Ubuntu 22.04  x86-64  -          none        tf/main.tf:17",
        "    os: tf/main.tf:20: Canonical:0001-com-ubuntu-server-jammy:22_04-lts-gen2",
        "machine      aws_instance.now                     aws       unknown       x86-64  -          connect     tf/main.tf:28",
        "    os: tf/main.tf:30: instance_type = t3.small",
        '    onboarding connect: tf/main.tf:31: azcmagent connect -g rg-arc --service-principal-secret "****"',
        "    unknown OS image: ami = ami-0123456789abcdef0 is an AMI id, which does not tell its OS; use an aws_ami data source with a name filter",
        "machine      aws_instance.installs                aws       unknown       x86-64  -          install     tf/main.tf:34",
        "    os: tf/main.tf:36: instance_type = t3.small",
        "    onboarding install: tf/main.tf:37: sudo apt-get install -y azcmagent",
        "    unknown OS image: ami = ami-0123456789abcdef0 is an AMI id, which does not tell its OS; use an aws_ami data source with a name filter",
        "image-build  build.golden                         aws       Ubuntu 22.04  x86-64  -          deferred    golden.pkr.hcl:11",
        "    os: golden.pkr.hcl:6: source_ami_filter name ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-*",
        "    onboarding deferred: scripts/prepare.sh:5: azcmagent connect -g rg-arc",
        "    produces ami golden-ubuntu-*: golden.pkr.hcl:4: ami_name = golden-ubuntu-{{timestamp}}",
        "5 targets",
    ]
    assert "s3cr3t" not in out


def test_json_shape_of_a_machine_made_from_a_packer_image(cli: Cli, tmp_path: Path) -> None:
    write(tmp_path, FILES)
    code, out, err = cli("inventory", ".", "--format", "json")
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert list(data) == ["version", "targets", "errors"]
    assert data["errors"] == []
    assert [(t["address"], t["role"], t["onboarding"]["state"]) for t in data["targets"]] == [
        ("aws_instance.app", "machine", "deferred"),
        ("azurerm_linux_virtual_machine.plain", "machine", "none"),
        ("aws_instance.now", "machine", "connect"),
        ("aws_instance.installs", "machine", "install"),
        ("build.golden", "image-build", "deferred"),
    ]
    assert data["targets"][0] == {
        "address": "aws_instance.app",
        "type": "aws_instance",
        "role": "machine",
        "platform": "aws",
        "file": "tf/main.tf",
        "line": 9,
        "os": {
            "name": "Ubuntu",
            "family": "ubuntu",
            "version": None,
            "arch": "x86-64",
            "evidence": {
                "file": "tf/main.tf",
                "line": 1,
                "text": "aws_ami golden: owners ['self'], name golden-ubuntu-*",
            },
        },
        "lifecycle": [{"kind": "spot", "evidence": {"file": "tf/main.tf", "line": 13, "text": 'market_type = "spot"'}}],
        "onboarding": {
            "state": "deferred",
            "evidence": {"file": "scripts/prepare.sh", "line": 5, "text": "azcmagent connect -g rg-arc"},
        },
        "produces": [],
        "uses": [
            {
                "kind": "ami",
                "name": "golden-ubuntu-*",
                "evidence": {"file": "tf/main.tf", "line": 1, "text": "aws_ami golden name golden-ubuntu-*"},
            }
        ],
        "built_from": [{"build": "build.golden", "image": "golden-ubuntu-*"}],
        "captured_from": [],
        "unknowns": [],
    }
    assert data["targets"][4]["produces"] == [
        {
            "kind": "ami",
            "name": "golden-ubuntu-*",
            "evidence": {"file": "golden.pkr.hcl", "line": 4, "text": "ami_name = golden-ubuntu-{{timestamp}}"},
        }
    ]
    assert "s3cr3t" not in out


def test_diagram_for_the_markdown_report_is_none_without_builds_or_links(tmp_path: Path) -> None:
    write(tmp_path, {"main.tf": MAIN.split('resource "aws_instance" "app"')[0]})
    assert diagram(scan.inventory([Path(".")], root=tmp_path).targets) is None
    write(tmp_path, FILES)
    drawn = diagram(scan.inventory([Path(".")], root=tmp_path).targets)
    assert drawn is not None and drawn.endswith("  n0 --> n1\n  n1 --> n2\n")


def test_the_scan_report_carries_the_diagram_for_the_markdown_report(cli: Cli) -> None:
    report = scan.run([Path("examples")], root=REPO)
    assert report.diagram == cli("inventory", "examples", "--format", "mermaid", cwd=REPO)[1]
    assert scan.run([Path("examples/bad/terraform")], root=REPO).diagram is None


def test_mermaid_without_builds_is_an_empty_flowchart_and_labels_are_escaped(cli: Cli, tmp_path: Path) -> None:
    write(tmp_path, {"main.tf": 'resource "azurerm_linux_virtual_machine" "x" {\n  name = "x"\n}\n'})
    assert cli("inventory", "--format", "mermaid") == (
        0,
        "flowchart LR\n  %% no image builds, images or links found\n",
        "",
    )


def test_a_path_that_does_not_exist_is_exit_2(cli: Cli) -> None:
    assert cli("inventory", "nope") == (2, "", "arclint: nope: no such file or folder\n")


def test_a_file_that_cannot_be_parsed_is_an_error_on_stderr_and_in_json(cli: Cli, tmp_path: Path) -> None:
    write(tmp_path, {"main.tf": MAIN, "broken.tf": 'resource "aws_instance" "x" {\n'})
    code, out, err = cli("inventory", "--format", "json")
    assert code == 0
    errors = json.loads(out)["errors"]
    assert len(errors) == 1 and errors[0].startswith("broken.tf:") and errors[0].endswith("(its targets are missing)")
    assert err == f"arclint: {errors[0]}\n"
    assert [t["address"] for t in json.loads(out)["targets"]][:2] == [
        "aws_instance.app",
        "azurerm_linux_virtual_machine.plain",
    ]


CAPTURE = """resource "azurerm_linux_virtual_machine" "master" {
  name = "master"
  size = "Standard_B2s"
  source_image_reference {
    publisher = "Canonical"
    offer     = "0001-com-ubuntu-server-jammy"
    sku       = "22_04-lts-gen2"
    version   = "latest"
  }
}

resource "azurerm_image" "golden" {
  name                      = "golden"
  source_virtual_machine_id = azurerm_linux_virtual_machine.master.id
}
"""


def test_mermaid_draws_an_image_captured_from_a_machine(cli: Cli, tmp_path: Path) -> None:
    write(tmp_path, {"main.tf": CAPTURE})
    assert cli("inventory", "--format", "mermaid") == (
        0,
        "flowchart LR\n"
        '  n0["azurerm_linux_virtual_machine.master<br/>machine"]\n'
        '  n1[("azurerm_image.golden<br/>image")]\n'
        "  n0 -->|captured| n1\n",
        "",
    )
    table = cli("inventory")[1].splitlines()
    assert table[3:5] == [
        "image    azurerm_image.golden                  azure     unknown       unknown  -          none        main.tf:12",
        "    captured from azurerm_linux_virtual_machine.master: main.tf:14: source_virtual_machine_id = azurerm_linux_virtual_machine.master",
    ]


def test_labels_with_quotes_are_escaped_in_mermaid(cli: Cli, tmp_path: Path) -> None:
    main = MAIN.replace('resource "aws_instance" "app" {', 'resource "aws_instance" "app" {\n  for_each = toset(["a"])')
    write(tmp_path, {**FILES, "tf/main.tf": main})
    assert cli("inventory", "--format", "mermaid")[1].splitlines()[3:] == [
        '  n2["aws_instance.app[#quot;a#quot;]<br/>machine"]',
        "  n0 --> n1",
        "  n1 --> n2",
    ]


def test_exclude_and_var_reach_the_inventory(cli: Cli, tmp_path: Path) -> None:
    write(tmp_path, FILES)
    code, out, _ = cli("inventory", "--format", "json", "--exclude", "*.pkr.hcl")
    targets = {t["address"]: t for t in json.loads(out)["targets"]}
    assert code == 0 and "build.golden" not in targets
    assert (
        targets["aws_instance.app"]["built_from"] == [] and targets["aws_instance.app"]["onboarding"]["state"] == "none"
    )
    write(tmp_path, {"tf/vars.tf": 'variable "boot" {\n  type = string\n}\n'})
    write(tmp_path, {"tf/main.tf": MAIN.replace('"#!/bin/bash\\nsudo apt-get install -y azcmagent\\n"', "var.boot")})
    unknown = json.loads(cli("inventory", "--format", "json")[1])["targets"][3]
    assert (unknown["address"], unknown["onboarding"]["state"]) == ("aws_instance.installs", "none")
    given = json.loads(cli("inventory", "--format", "json", "--var", "boot=azcmagent connect -g rg")[1])["targets"][3]
    assert (given["address"], given["onboarding"]["state"]) == ("aws_instance.installs", "connect")
