# Example: P19 twice, the same workflow as a STANDARD machine and as an EXPRESS one, with execution
# data in the logs (test data only).
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
  default     = "example-state-machine"
}

variable "package_path" {
  type        = string
  description = "The built state-machine zip."
  default     = "../../build/lambdas/state-machine.zip"
}

variable "code_bucket" {
  type        = string
  description = "Existing bucket for the functions' code (the tests pass one per local cloud); null uploads each zip with its function."
  default     = null
}

# The environment's customer managed key, as staging and prod run the pattern: every table, queue,
# secret and log group below is encrypted with it, and the local cloud checks each use.
module "key" {
  source = "../../modules/kms-key"

  name                    = var.name
  deletion_window_in_days = 7
  tags                    = { stack = var.name }
}

module "standard" {
  source = "../../patterns/state-machine"

  name                   = var.name
  package_path           = var.package_path
  code_bucket            = var.code_bucket
  include_execution_data = true
  point_in_time_recovery = false
  log_retention_days     = 1
  alarms                 = { enabled = true }
  kms_key_arn            = module.key.key_arn
  tags                   = { stack = var.name }
}

module "express" {
  source = "../../patterns/state-machine"

  name                   = "${var.name}-x"
  package_path           = var.package_path
  code_bucket            = var.code_bucket
  type                   = "EXPRESS"
  point_in_time_recovery = false
  log_retention_days     = 1
  kms_key_arn            = module.key.key_arn
  tags                   = { stack = var.name }
}

output "standard" {
  value = module.standard
}

output "express" {
  value = module.express
}
