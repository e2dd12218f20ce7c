variable "name" {
  type = string
}

variable "resource_group_name" {
  type = string
}

variable "location" {
  type = string
}

variable "enable_arc" {
  type    = bool
  default = false
}

variable "arc_resource_group" {
  type    = string
  default = null
}

resource "azurerm_linux_virtual_machine" "this" {
  name                = "vm-${var.name}"
  resource_group_name = var.resource_group_name
  location            = var.location
  size                = "Standard_B2s"
  admin_username      = "azureuser"

  source_image_reference {
    publisher = "Canonical"
    offer     = "0001-com-ubuntu-server-jammy"
    sku       = "22_04-lts-gen2"
    version   = "latest"
  }

  custom_data = var.enable_arc ? base64encode(templatefile("${path.module}/scripts/arc.sh.tftpl", {
    resource_group = var.arc_resource_group
    name           = var.name
  })) : null
}
