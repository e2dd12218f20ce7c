# Arc-enabled servers need these resource providers in the subscription; azurerm registers none of them
# by itself (Microsoft.GuestConfiguration only in its legacy and all sets).
resource "azurerm_resource_provider_registration" "arc" {
  for_each = toset(["Microsoft.HybridCompute", "Microsoft.GuestConfiguration", "Microsoft.HybridConnectivity"])
  name     = each.value
}
