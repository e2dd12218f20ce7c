variable "aws_region" {
  type    = string
  default = "eu-west-1"
}

variable "arc_resource_group" {
  type    = string
  default = "rg-arc-servers"
}

variable "arc_location" {
  type    = string
  default = "westeurope"
}

variable "tenant_id" {
  type    = string
  default = "00000000-0000-0000-0000-000000000000"
}

variable "subscription_id" {
  type    = string
  default = "11111111-1111-1111-1111-111111111111"
}

variable "admin_ssh_key" {
  type    = string
  default = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExampleKeyOnly admin@example"
}
