packer {
  required_plugins {
    vsphere = {
      source  = "github.com/hashicorp/vsphere"
      version = ">= 1.2.0"
    }
  }
}

variable "vcenter_server" {
  type    = string
  default = "vcenter.example.internal"
}

variable "datastore" {
  type    = string
  default = "datastore1"
}

variable "arc_resource_group" {
  type    = string
  default = "rg-arc-servers"
}

locals {
  iso = "[${var.datastore}] iso/ubuntu-22.04.4-live-server-amd64.iso"
}

source "vsphere-iso" "ubuntu" {
  vcenter_server      = var.vcenter_server
  datastore           = var.datastore
  guest_os_type       = "ubuntu64Guest"
  iso_paths           = [local.iso]
  vm_name             = "tpl-ubuntu-22.04"
  convert_to_template = true
  ssh_username        = "packer"
}

build {
  name    = "ubuntu-golden"
  sources = ["source.vsphere-iso.ubuntu"]

  provisioner "shell" {
    inline = ["sudo apt-get update", "sudo apt-get -y upgrade"]
  }

  # Connects the template itself: every clone will share this Arc identity.
  provisioner "shell" {
    environment_vars = ["ARC_RESOURCE_GROUP=${var.arc_resource_group}"]
    script           = "${path.root}/scripts/install-and-connect-arc.sh"
  }
}
