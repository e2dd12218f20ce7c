variable "enable_arc" {
  description = "Onboard the web servers to Azure Arc (off by default; set it in a git-ignored *.auto.tfvars)."
  type        = bool
  default     = false
}

# Three Azure VMs from one module: arclint reports them once, naming the instances, and the finding
# holds only when var.enable_arc is true.
module "web" {
  source              = "./modules/web-server"
  for_each            = toset(["web1", "web2", "web3"])
  name                = each.key
  resource_group_name = azurerm_resource_group.app.name
  location            = azurerm_resource_group.app.location
  enable_arc          = var.enable_arc
  arc_resource_group  = var.arc_resource_group
}
