"""A seeded, reproducible repository of Terraform and Packer of a given number of files, shaped like real ones.

Run: ``python benchmarks/corpus.py OUT --files 1000 [--seed 12]``. The same seed and size always write the same
bytes. The repository holds shared modules (Linux and Windows VMs with Arc onboarding scripts, scale sets,
networks), root configurations under ``live/`` that call them with their own inputs, ``.tfvars`` files, inline
VMs and AWS instances with ``user_data`` templates, and Packer templates (HCL2) with provisioner scripts.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

IMAGES = (
    ("Canonical", "0001-com-ubuntu-server-jammy", "22_04-lts-gen2"),
    ("Canonical", "ubuntu-24_04-lts", "server"),
    ("RedHat", "RHEL", "9-lvm-gen2"),
    ("MicrosoftWindowsServer", "WindowsServer", "2022-datacenter-azure-edition"),
    ("MicrosoftWindowsServer", "WindowsServer", "2019-datacenter-gensecond"),
)
SIZES = ("Standard_B2s", "Standard_D2s_v5", "Standard_D4s_v5", "Standard_E4s_v5", "Standard_F2s_v2")
REGIONS = ("westeurope", "northeurope", "eastus2", "swedencentral", "uksouth")

ONBOARD_SH = """#!/bin/bash
# Onboard this machine to Azure Arc (generated benchmark file {n}).
set -euo pipefail
curl -sSL https://aka.ms/azcmagent -o /tmp/install_linux_azcmagent.sh
bash /tmp/install_linux_azcmagent.sh
azcmagent connect --resource-group "${{resource_group}}" --location "${{location}}" \\
  --tenant-id "${{tenant_id}}" --subscription-id "${{subscription_id}}" --cloud AzureCloud
"""
ONBOARD_PS1 = """# Onboard this machine to Azure Arc (generated benchmark file {n}).
$ErrorActionPreference = "Stop"
Invoke-WebRequest -Uri https://aka.ms/AzureConnectedMachineAgent -OutFile "$env:TEMP\\AzureConnectedMachineAgent.msi"
msiexec /i "$env:TEMP\\AzureConnectedMachineAgent.msi" /qn
& "$env:ProgramFiles\\AzureConnectedMachineAgent\\azcmagent.exe" connect --resource-group "${{resource_group}}" `
  --location "${{location}}" --tenant-id "${{tenant_id}}" --subscription-id "${{subscription_id}}"
"""
PACKER_SH = """#!/bin/bash
# Image build step {n}: updates and tools; the agent is installed, connected at first boot.
set -euo pipefail
sudo apt-get update -y
sudo apt-get install -y jq unzip
curl -sSL https://aka.ms/azcmagent -o /tmp/install_linux_azcmagent.sh
sudo bash /tmp/install_linux_azcmagent.sh
"""


class Writer:
    """Writes files under ``root`` and counts them."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.count = 0

    def __call__(self, rel: str, text: str) -> None:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        self.count += 1


def _vm(rng: random.Random, name: str, script: str, windows: bool) -> str:
    publisher, offer, sku = rng.choice([i for i in IMAGES if (i[0] == "MicrosoftWindowsServer") == windows])
    kind = "windows" if windows else "linux"
    login = (
        "  admin_password = var.admin_password\n"
        if windows
        else ('  admin_ssh_key {\n    username   = "azureuser"\n    public_key = var.admin_ssh_key\n  }\n')
    )
    return (
        f'resource "azurerm_{kind}_virtual_machine" "{name}" {{\n'
        f"  count                 = var.instance_count\n"
        f'  name                  = "${{var.prefix}}-{name}-${{count.index}}"\n'
        f"  resource_group_name   = var.resource_group_name\n"
        f"  location              = var.location\n"
        f'  size                  = "{rng.choice(SIZES)}"\n'
        f'  admin_username        = "azureuser"\n'
        f"  network_interface_ids = [azurerm_network_interface.{name}[count.index].id]\n"
        f"{login}"
        f'  os_disk {{\n    caching              = "ReadWrite"\n    storage_account_type = "Premium_LRS"\n  }}\n'
        f'  source_image_reference {{\n    publisher = "{publisher}"\n    offer     = "{offer}"\n'
        f'    sku       = "{sku}"\n    version   = "latest"\n  }}\n'
        f'  custom_data = base64encode(templatefile("${{path.module}}/scripts/{script}", {{\n'
        f"    resource_group  = var.resource_group_name\n    location        = var.location\n"
        f"    tenant_id       = var.tenant_id\n    subscription_id = var.subscription_id\n  }}))\n"
        f'  tags = merge(var.tags, {{ role = "{name}" }})\n}}\n\n'
        f'resource "azurerm_network_interface" "{name}" {{\n  count               = var.instance_count\n'
        f'  name                = "${{var.prefix}}-{name}-nic-${{count.index}}"\n'
        f"  location            = var.location\n  resource_group_name = var.resource_group_name\n"
        f'  ip_configuration {{\n    name                          = "internal"\n'
        f"    subnet_id                     = var.subnet_id\n"
        f'    private_ip_address_allocation = "Dynamic"\n  }}\n}}\n'
    )


def _vmss(rng: random.Random, name: str, script: str) -> str:
    publisher, offer, sku = rng.choice([i for i in IMAGES if i[0] != "MicrosoftWindowsServer"])
    return (
        f'resource "azurerm_linux_virtual_machine_scale_set" "{name}" {{\n'
        f'  name                = "${{var.prefix}}-{name}"\n  resource_group_name = var.resource_group_name\n'
        f'  location            = var.location\n  sku                 = "{rng.choice(SIZES)}"\n'
        f'  instances           = var.instance_count\n  admin_username      = "azureuser"\n'
        f'  admin_ssh_key {{\n    username   = "azureuser"\n    public_key = var.admin_ssh_key\n  }}\n'
        f'  source_image_reference {{\n    publisher = "{publisher}"\n    offer     = "{offer}"\n'
        f'    sku       = "{sku}"\n    version   = "latest"\n  }}\n'
        f'  os_disk {{\n    storage_account_type = "Standard_LRS"\n    caching              = "ReadWrite"\n  }}\n'
        f'  network_interface {{\n    name    = "nic"\n    primary = true\n'
        f'    ip_configuration {{\n      name      = "internal"\n      primary   = true\n'
        f"      subnet_id = var.subnet_id\n    }}\n  }}\n"
        f'  custom_data = base64encode(templatefile("${{path.module}}/scripts/{script}", {{\n'
        f"    resource_group  = var.resource_group_name\n    location        = var.location\n"
        f"    tenant_id       = var.tenant_id\n    subscription_id = var.subscription_id\n  }}))\n"
        f"  tags = var.tags\n}}\n"
    )


MODULE_VARIABLES = "".join(
    f'variable "{name}" {{\n  type = {kind}\n{default}}}\n\n'
    for name, kind, default in (
        ("prefix", "string", ""),
        ("resource_group_name", "string", ""),
        ("location", "string", '  default = "westeurope"\n'),
        ("subnet_id", "string", ""),
        ("instance_count", "number", "  default = 1\n"),
        ("admin_ssh_key", "string", '  default = ""\n'),
        ("admin_password", "string", "  default   = null\n  sensitive = true\n"),
        ("tenant_id", "string", ""),
        ("subscription_id", "string", ""),
        ("tags", "map(string)", "  default = {}\n"),
    )
)


def _module(w: Writer, rng: random.Random, n: int) -> tuple[str, int]:
    """A shared module folder: (its path, the files written)."""
    kind = rng.choice(("linux-vm", "windows-vm", "vmss", "network"))
    folder = f"modules/{kind}-{n:04d}"
    before = w.count
    if kind == "network":
        w(
            f"{folder}/main.tf",
            'resource "azurerm_virtual_network" "this" {\n  name                = "${var.prefix}-vnet"\n'
            "  location            = var.location\n  resource_group_name = var.resource_group_name\n"
            f'  address_space       = ["10.{n % 250}.0.0/16"]\n  tags                = var.tags\n}}\n\n'
            'resource "azurerm_subnet" "this" {\n  name                 = "default"\n'
            "  resource_group_name  = var.resource_group_name\n"
            "  virtual_network_name = azurerm_virtual_network.this.name\n"
            f'  address_prefixes     = ["10.{n % 250}.1.0/24"]\n}}\n',
        )
        w(f"{folder}/outputs.tf", 'output "subnet_id" {\n  value = azurerm_subnet.this.id\n}\n')
    else:
        windows = kind == "windows-vm"
        script = "arc.ps1.tftpl" if windows else "arc.sh.tftpl"
        body = _vmss(rng, "pool", script) if kind == "vmss" else _vm(rng, "server", script, windows)
        w(f"{folder}/main.tf", body)
        w(f"{folder}/scripts/{script}", (ONBOARD_PS1 if windows else ONBOARD_SH).format(n=n))
        w(f"{folder}/outputs.tf", 'output "prefix" {\n  value = var.prefix\n}\n')
    w(f"{folder}/variables.tf", MODULE_VARIABLES)
    w(
        f"{folder}/versions.tf",
        "terraform {\n  required_providers {\n    azurerm = {\n"
        '      source  = "hashicorp/azurerm"\n      version = "~> 4.0"\n    }\n  }\n}\n',
    )
    return folder, w.count - before


def _stack(w: Writer, rng: random.Random, n: int, modules: list[str]) -> None:
    """A root configuration under ``live/`` calling some shared modules, with a var file and an inline AWS host."""
    folder = f"live/{rng.choice(('dev', 'test', 'prod'))}-{n:04d}"
    region = rng.choice(REGIONS)
    calls = []
    for i, module in enumerate(rng.sample(modules, min(len(modules), rng.randint(1, 3)))):
        calls.append(
            f'module "m{i}" {{\n  source              = "../../{module}"\n  prefix              = "s{n}m{i}"\n'
            f"  resource_group_name = azurerm_resource_group.this.name\n  location            = var.location\n"
            f"  subnet_id           = var.subnet_id\n  instance_count      = {rng.randint(1, 4)}\n"
            f"  tenant_id           = var.tenant_id\n  subscription_id     = var.subscription_id\n"
            f"  tags                = local.tags\n}}\n"
        )
    w(
        f"{folder}/main.tf",
        'provider "azurerm" {\n  features {}\n}\n\n'
        f'locals {{\n  tags = {{\n    env   = "{folder.split("/")[1]}"\n    owner = "team-{n % 17}"\n  }}\n}}\n\n'
        f'resource "azurerm_resource_group" "this" {{\n  name     = "rg-s{n}"\n  location = var.location\n}}\n\n'
        + "\n".join(calls),
    )
    w(
        f"{folder}/variables.tf",
        "".join(
            f'variable "{v}" {{\n  type = string\n}}\n\n'
            for v in ("location", "subnet_id", "tenant_id", "subscription_id")
        ),
    )
    w(
        f"{folder}/terraform.tfvars",
        f'location        = "{region}"\nsubnet_id       = "/subscriptions/0/resourceGroups/net/providers/'
        f'Microsoft.Network/virtualNetworks/v{n}/subnets/default"\n'
        f'tenant_id       = "00000000-0000-0000-0000-{n:012d}"\nsubscription_id = "11111111-0000-0000-0000-{n:012d}"\n',
    )
    if rng.random() < 0.4:
        w(
            f"{folder}/aws.tf",
            'data "aws_ami" "ubuntu" {\n  most_recent = true\n  owners      = ["099720109477"]\n  filter {\n'
            '    name   = "name"\n    values = ["ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-*"]\n  }\n}\n\n'
            f'resource "aws_instance" "edge" {{\n  ami           = data.aws_ami.ubuntu.id\n'
            f'  instance_type = "t3.small"\n  user_data     = templatefile("${{path.module}}/onboard.sh.tftpl", {{\n'
            f'    resource_group = "rg-s{n}", location = var.location,\n    tenant_id = var.tenant_id,'
            f" subscription_id = var.subscription_id\n  }})\n  tags = local.tags\n}}\n",
        )
        w(f"{folder}/onboard.sh.tftpl", ONBOARD_SH.format(n=n))
    w(f"{folder}/outputs.tf", 'output "resource_group" {\n  value = azurerm_resource_group.this.name\n}\n')


def _packer(w: Writer, rng: random.Random, n: int) -> None:
    """A Packer image folder: an HCL2 template, its variables and a provisioner script."""
    publisher, offer, sku = rng.choice([i for i in IMAGES if i[0] != "MicrosoftWindowsServer"])
    folder = f"images/golden-{n:04d}"
    w(
        f"{folder}/image.pkr.hcl",
        'packer {\n  required_plugins {\n    azure = {\n      source  = "github.com/hashicorp/azure"\n'
        '      version = "~> 2"\n    }\n  }\n}\n\n'
        f'source "azure-arm" "golden" {{\n  use_azure_cli_auth                = true\n'
        f'  os_type                           = "Linux"\n  image_publisher                   = "{publisher}"\n'
        f'  image_offer                       = "{offer}"\n  image_sku                         = "{sku}"\n'
        f"  location                          = var.location\n"
        f'  vm_size                           = "{rng.choice(SIZES)}"\n'
        f'  managed_image_name                = "golden-{n}"\n'
        f"  managed_image_resource_group_name = var.image_resource_group\n}}\n\n"
        'build {\n  sources = ["source.azure-arm.golden"]\n\n  provisioner "shell" {\n'
        '    script = "${path.root}/scripts/setup.sh"\n  }\n\n  provisioner "shell" {\n'
        '    inline = ["sudo waagent -deprovision+user -force"]\n  }\n}\n',
    )
    w(
        f"{folder}/variables.pkr.hcl",
        f'variable "location" {{\n  type    = string\n  default = "{rng.choice(REGIONS)}"\n}}\n\n'
        'variable "image_resource_group" {\n  type    = string\n  default = "rg-images"\n}\n',
    )
    w(f"{folder}/scripts/setup.sh", PACKER_SH.format(n=n))


def generate(root: Path, files: int, seed: int = 12) -> int:
    """Write a repository of exactly ``files`` files under ``root`` (made empty first); returns the count."""
    rng = random.Random(seed)
    w = Writer(root)
    modules: list[str] = []
    n = 0
    while w.count < files - 8:  # the largest unit is 7 files; the rest is filled with plain network files
        n += 1
        pick = rng.random()
        if pick < 0.25 or not modules:
            folder, _ = _module(w, rng, n)
            modules.append(folder)
        elif pick < 0.85:
            _stack(w, rng, n, modules)
        else:
            _packer(w, rng, n)
    while w.count < files:
        n += 1
        w(
            f"shared/network-{n:04d}.tf",
            f'resource "azurerm_public_ip" "p{n}" {{\n  name                = "pip-{n}"\n'
            f'  location            = "{rng.choice(REGIONS)}"\n  resource_group_name = "rg-shared"\n'
            f'  allocation_method   = "Static"\n}}\n',
        )
    return w.count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="folder to write (must not exist)")
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=12)
    args = parser.parse_args()
    args.out.mkdir(parents=True)
    print(f"{generate(args.out, args.files, args.seed)} files in {args.out}")


if __name__ == "__main__":
    main()
