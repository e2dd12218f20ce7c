resource "azurerm_resource_group" "app" {
  name     = "rg-app"
  location = var.arc_location
}

# An Azure VM that is onboarded to Arc like an on-premises server: the installer refuses (AZCM0141).
resource "azurerm_linux_virtual_machine" "app" {
  name                  = "vm-app-01"
  resource_group_name   = azurerm_resource_group.app.name
  location              = azurerm_resource_group.app.location
  size                  = "Standard_D2s_v5"
  admin_username        = "azureuser"
  network_interface_ids = [azurerm_network_interface.app.id]

  admin_ssh_key {
    username   = "azureuser"
    public_key = var.admin_ssh_key
  }

  os_disk {
    caching              = "ReadWrite"
    storage_account_type = "Premium_LRS"
  }

  source_image_reference {
    publisher = "Canonical"
    offer     = "0001-com-ubuntu-server-jammy"
    sku       = "22_04-lts-gen2"
    version   = "latest"
  }

  custom_data = base64encode(templatefile("${path.module}/scripts/onboard-arc.sh.tftpl", local.arc_settings))
  tags        = local.common_tags
}

# An "evaluation" lab that sets MSFT_ARC_TEST but leaves the guest agent and IMDS alone.
resource "azurerm_linux_virtual_machine" "arc_lab" {
  name                  = "vm-arc-lab"
  resource_group_name   = azurerm_resource_group.app.name
  location              = azurerm_resource_group.app.location
  size                  = "Standard_B2s"
  admin_username        = "azureuser"
  network_interface_ids = [azurerm_network_interface.lab.id]

  admin_ssh_key {
    username   = "azureuser"
    public_key = var.admin_ssh_key
  }

  os_disk {
    caching              = "ReadWrite"
    storage_account_type = "Standard_LRS"
  }

  source_image_reference {
    publisher = "Canonical"
    offer     = "ubuntu-24_04-lts"
    sku       = "server"
    version   = "latest"
  }

  custom_data = base64encode(<<-EOT
    #!/bin/bash
    export MSFT_ARC_TEST=true
    sudo systemctl set-environment MSFT_ARC_TEST=true
    curl -sSL https://aka.ms/azcmagent -o /tmp/install_linux_azcmagent.sh
    sudo bash /tmp/install_linux_azcmagent.sh
    sudo azcmagent connect --resource-group "${var.arc_resource_group}" --location "${var.arc_location}" --tenant-id "${var.tenant_id}" --subscription-id "${var.subscription_id}"
  EOT
  )
}

resource "azurerm_network_interface" "app" {
  name                = "nic-app-01"
  location            = azurerm_resource_group.app.location
  resource_group_name = azurerm_resource_group.app.name

  ip_configuration {
    name                          = "internal"
    subnet_id                     = var.subnet_id
    private_ip_address_allocation = "Dynamic"
  }
}

resource "azurerm_network_interface" "lab" {
  name                = "nic-arc-lab"
  location            = azurerm_resource_group.app.location
  resource_group_name = azurerm_resource_group.app.name

  ip_configuration {
    name                          = "internal"
    subnet_id                     = var.subnet_id
    private_ip_address_allocation = "Dynamic"
  }
}

variable "subnet_id" {
  type    = string
  default = "/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet/subnets/default"
}
