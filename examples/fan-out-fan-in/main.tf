# Example: P17 with parts of three documents and one retry, so a test sees a failing part reach the DLQ quickly,
# on a customer managed key as prod runs it.
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
  default     = "example-fan-out-fan-in"
}

variable "package_path" {
  type        = string
  description = "The built fan-out-fan-in zip."
  default     = "../../build/lambdas/fan-out-fan-in.zip"
}

variable "code_bucket" {
  type        = string
  description = "Existing bucket for the functions' code (the tests pass one per local cloud); null uploads each zip with its function."
  default     = null
}

module "key" {
  source = "../../modules/kms-key"

  name                    = var.name
  deletion_window_in_days = 7
  tags                    = { stack = var.name }
}

module "fan_out_fan_in" {
  source = "../../patterns/fan-out-fan-in"

  name                   = var.name
  package_path           = var.package_path
  code_bucket            = var.code_bucket
  part_size              = 3
  worker                 = { timeout_seconds = 20, maximum_retry_attempts = 1, maximum_event_age_seconds = 600 }
  point_in_time_recovery = false
  deletion_protection    = false
  log_retention_days     = 1
  kms_key_arn            = module.key.key_arn
  tags                   = { stack = var.name }
}

output "fan_out_fan_in" {
  value = module.fan_out_fan_in
}
