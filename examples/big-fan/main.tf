# Example: P12 with three subscribers, one of them taking two event types.
terraform {
  required_version = ">= 1.5"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.60"
    }
  }
}

provider "aws" {}

variable "name" {
  type        = string
  description = "Prefix of every resource (the tests pass a unique one)."
  default     = "example-big-fan"
}

variable "package_path" {
  type        = string
  description = "The built big-fan zip."
  default     = "../../build/lambdas/big-fan.zip"
}

variable "code_bucket" {
  type        = string
  description = "Existing bucket for the functions' code (the tests pass one per local cloud); null uploads each zip with its function."
  default     = null
}

module "fan" {
  source = "../../patterns/big-fan"

  name         = var.name
  package_path = var.package_path
  code_bucket  = var.code_bucket
  subscribers = {
    payments = { event_types = ["payment"] }
    refunds  = { event_types = ["refund"] }
    audit    = { event_types = ["payment", "refund"] }
  }
  authorization_type         = "NONE"
  logging_level              = "OFF"
  consumer                   = { timeout_seconds = 5, maximum_concurrency = 2 }
  visibility_timeout_seconds = 8
  max_receive_count          = 2
  point_in_time_recovery     = false
  log_retention_days         = 1
  tags                       = { stack = var.name }
}

output "fan" {
  value = module.fan
}
