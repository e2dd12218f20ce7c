locals {
  arc_settings = {
    resource_group  = var.arc_resource_group
    location        = var.arc_location
    tenant_id       = var.tenant_id
    subscription_id = var.subscription_id
  }
}

# The image examples/good/packer/ubuntu-base.pkr.hcl builds: the agent installed, not connected.
data "aws_ami" "base" {
  most_recent = true
  owners      = ["self"]

  filter {
    name   = "name"
    values = ["base-ubuntu-22.04-*"]
  }
}

# A long-lived AWS server made from that image, onboarded at first boot with its own resource name.
resource "aws_instance" "erp" {
  ami           = data.aws_ami.base.id
  instance_type = "m7i.large"
  user_data     = templatefile("${path.module}/scripts/onboard-arc.sh.tftpl", local.arc_settings)
  tags = {
    Name = "erp-01"
  }
}

# A GCP server on Debian 12, onboarded through its startup script.
resource "google_compute_instance" "reporting" {
  name         = "reporting-01"
  machine_type = "e2-standard-2"
  zone         = "europe-west1-b"

  boot_disk {
    initialize_params {
      image = "debian-cloud/debian-12"
    }
  }

  network_interface {
    network = "default"
  }

  metadata_startup_script = templatefile("${path.module}/scripts/onboard-arc.sh.tftpl", local.arc_settings)
}

# An Azure VM is managed natively: no Arc agent on it.
resource "azurerm_linux_virtual_machine" "jumpbox" {
  name                  = "vm-jumpbox"
  resource_group_name   = "rg-ops"
  location              = "westeurope"
  size                  = "Standard_B2s"
  admin_username        = "azureuser"
  network_interface_ids = ["/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-ops/providers/Microsoft.Network/networkInterfaces/nic-jumpbox"]

  admin_ssh_key {
    username   = "azureuser"
    public_key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExampleKeyOnly admin@example"
  }

  os_disk {
    caching              = "ReadWrite"
    storage_account_type = "Standard_LRS"
  }

  source_image_reference {
    publisher = "Canonical"
    offer     = "0001-com-ubuntu-server-jammy"
    sku       = "22_04-lts-gen2"
    version   = "latest"
  }

  custom_data = filebase64("${path.module}/scripts/jumpbox.sh")
}
