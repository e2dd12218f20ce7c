"""ARC302: each way of asking for evictable capacity, alone, and the same configuration without it."""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import pytest

from conftest import brief, policy_yaml, write

CONNECT = "azcmagent connect -g rg -l westeurope"


class Trigger(NamedTuple):
    name: str
    config: str  # one main.tf that connects, with the trigger
    trigger: str  # the trigger's text in it
    on_demand: str  # what replaces it for on-demand capacity
    expected: tuple[int, str, int]  # ARC302: line, resource, line of the connect (its evidence)


TRIGGERS = [
    Trigger(
        "azure-vm-priority-spot",
        f"""resource "azurerm_linux_virtual_machine" "vm" {{
  name            = "vm"
  size            = "Standard_D2s_v5"
  priority        = "Spot"
  eviction_policy = "Deallocate"
  custom_data     = base64encode("{CONNECT}")
}}
""",
        'priority        = "Spot"',
        'priority        = "Regular"',
        (1, "azurerm_linux_virtual_machine.vm", 6),
    ),
    Trigger(
        "azure-vmss-priority-spot",
        f"""resource "azurerm_linux_virtual_machine_scale_set" "vmss" {{
  name        = "vmss"
  sku         = "Standard_D2s_v5"
  instances   = 2
  priority    = "Spot"
  custom_data = base64encode("{CONNECT}")
}}
""",
        'priority    = "Spot"',
        'priority    = "Regular"',
        (1, "azurerm_linux_virtual_machine_scale_set.vmss", 6),
    ),
    Trigger(
        "azure-vmss-priority-low",
        f"""resource "azurerm_virtual_machine_scale_set" "legacy" {{
  name     = "legacy"
  priority = "Low"
  os_profile {{
    computer_name_prefix = "legacy"
    admin_username       = "azureuser"
    custom_data          = "{CONNECT}"
  }}
}}
""",
        'priority = "Low"',
        'priority = "Regular"',
        (1, "azurerm_virtual_machine_scale_set.legacy", 7),
    ),
    Trigger(
        "aws-spot-instance-request",
        f"""resource "aws_spot_instance_request" "req" {{
  ami           = "ami-1"
  instance_type = "c6i.large"
  user_data     = "{CONNECT}"
}}
""",
        "aws_spot_instance_request",
        "aws_instance",
        (1, "aws_spot_instance_request.req", 4),
    ),
    Trigger(
        "aws-launch-configuration-spot-price",
        f"""resource "aws_launch_configuration" "lc" {{
  image_id      = "ami-1"
  instance_type = "c6i.large"
  spot_price    = "0.03"
  user_data     = "{CONNECT}"
}}
""",
        'spot_price    = "0.03"',
        "",
        (1, "aws_launch_configuration.lc", 5),
    ),
    Trigger(
        "aws-asg-mixed-instances-policy",
        f"""resource "aws_launch_template" "lt" {{
  image_id  = "ami-1"
  user_data = base64encode("{CONNECT}")
}}

resource "aws_autoscaling_group" "asg" {{
  min_size = 1
  max_size = 4

  mixed_instances_policy {{
    instances_distribution {{
      on_demand_percentage_above_base_capacity = 25
    }}
    launch_template {{
      launch_template_specification {{
        launch_template_id = aws_launch_template.lt.id
      }}
    }}
  }}
}}
""",
        "on_demand_percentage_above_base_capacity = 25",
        "on_demand_percentage_above_base_capacity = 100",
        (6, "aws_autoscaling_group.asg", 3),
    ),
    Trigger(
        "gcp-preemptible",
        f"""resource "google_compute_instance" "pre" {{
  name                    = "pre"
  machine_type            = "e2-standard-2"
  zone                    = "europe-west1-b"
  metadata_startup_script = "{CONNECT}"

  scheduling {{
    preemptible       = true
    automatic_restart = false
  }}
}}
""",
        "preemptible       = true",
        "preemptible       = false",
        (1, "google_compute_instance.pre", 5),
    ),
    Trigger(
        "gcp-provisioning-model-spot",
        f"""resource "google_compute_instance" "spot" {{
  name                    = "spot"
  machine_type            = "e2-standard-2"
  zone                    = "europe-west1-b"
  metadata_startup_script = "{CONNECT}"

  scheduling {{
    provisioning_model = "SPOT"
  }}
}}
""",
        'provisioning_model = "SPOT"',
        'provisioning_model = "STANDARD"',
        (1, "google_compute_instance.spot", 5),
    ),
]


@pytest.mark.parametrize("case", TRIGGERS, ids=[t.name for t in TRIGGERS])
def test_each_trigger_alone_is_arc302(project, case: Trigger) -> None:
    report = project({"main.tf": case.config})
    line, resource, connect_line = case.expected
    assert brief(report, "ARC302") == [("ARC302", "main.tf", line, resource, "warning")]
    finding = next(f for f in report.findings if f.rule == "ARC302")
    assert finding.message == (
        f"{resource} connects a machine on spot/preemptible capacity to Azure Arc; it can be evicted at any time "
        f"(main.tf:{connect_line})"
    )
    assert [(e.file, e.line, e.text) for e in finding.evidence] == [("main.tf", connect_line, CONNECT)]


@pytest.mark.parametrize("case", TRIGGERS, ids=[t.name for t in TRIGGERS])
def test_the_same_machine_on_demand_is_not_arc302(project, case: Trigger) -> None:
    assert case.config.count(case.trigger) == 1
    assert brief(project({"main.tf": case.config.replace(case.trigger, case.on_demand)}), "ARC302") == []


def test_a_spot_machine_that_does_not_connect_is_not_arc302(project) -> None:
    assert brief(project({"main.tf": TRIGGERS[0].config.replace(CONNECT, "echo hello")}), "ARC302") == []


PACKER_SPOT = f"""source "amazon-ebs" "spot" {{
  region        = "eu-west-1"
  instance_type = "t3.small"
  ssh_username  = "ubuntu"
  ami_name      = "golden-spot"
  spot_price    = "auto"
  source_ami_filter {{
    owners  = ["099720109477"]
    filters = {{ name = "ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-*" }}
  }}
}}

source "amazon-ebs" "ondemand" {{
  region        = "eu-west-1"
  instance_type = "t3.small"
  ssh_username  = "ubuntu"
  ami_name      = "golden"
  spot_price    = "0"
  source_ami_filter {{
    owners  = ["099720109477"]
    filters = {{ name = "ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-*" }}
  }}
}}

source "azure-arm" "spot" {{
  image_publisher                   = "Canonical"
  image_offer                       = "0001-com-ubuntu-server-jammy"
  image_sku                         = "22_04-lts-gen2"
  managed_image_name                = "golden"
  managed_image_resource_group_name = "rg-images"
  vm_size                           = "Standard_D2s_v5"
  spot {{
    eviction_policy = "Delete"
  }}
}}

build {{
  sources = ["source.amazon-ebs.spot", "source.amazon-ebs.ondemand", "source.azure-arm.spot"]

  provisioner "shell" {{
    inline = ["{CONNECT}"]
  }}
}}
"""


def test_packer_spot_builders_have_the_spot_fact_but_arc302_is_for_machines(project, tmp_path: Path) -> None:
    """amazon-ebs ``spot_price`` (not "0") and azure-arm ``spot {}``: ``lifecycle.spot`` for policies. ARC302
    applies to machines, scale sets and templates; a build that connects is ARC201."""
    write(tmp_path / "policies", {"org.yaml": policy_yaml("ORG302", "{fact: lifecycle.spot, equals: true}")})
    report = project({"build.pkr.hcl": PACKER_SPOT}, policy_dirs=(tmp_path / "policies",))
    assert brief(report) == [
        ("ARC201", "build.pkr.hcl", 37, "amazon-ebs.ondemand", "error"),
        ("ARC201", "build.pkr.hcl", 37, "amazon-ebs.spot", "error"),
        ("ARC201", "build.pkr.hcl", 37, "azure-arm.spot", "error"),
        ("ORG302", "build.pkr.hcl", 37, "amazon-ebs.spot", "warning"),
        ("ORG302", "build.pkr.hcl", 37, "azure-arm.spot", "warning"),
    ]
