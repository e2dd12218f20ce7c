locals {
  arc_settings = {
    resource_group  = var.arc_resource_group
    location        = var.arc_location
    tenant_id       = var.tenant_id
    subscription_id = var.subscription_id
  }
  common_tags = {
    owner = "platform-team"
  }
}
