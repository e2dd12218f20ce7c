variable "aws_region" {
  type    = string
  default = "eu-west-1"
}

variable "gcp_project" {
  type    = string
  default = "example-project"
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
