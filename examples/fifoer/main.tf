# Example: P13 with short timeouts so a poison message reaches the DLQ within a test's patience.
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
  default     = "example-fifoer"
}

variable "package_path" {
  type        = string
  description = "The built fifoer zip."
  default     = "../../build/lambdas/fifoer.zip"
}

variable "code_bucket" {
  type        = string
  description = "Existing bucket for the functions' code (the tests pass one per local cloud); null uploads each zip with its function."
  default     = null
}

module "fifoer" {
  source = "../../patterns/fifoer"

  name                       = var.name
  package_path               = var.package_path
  code_bucket                = var.code_bucket
  consumer                   = { timeout_seconds = 5, batch_size = 10, maximum_concurrency = 2 }
  visibility_timeout_seconds = 8
  max_receive_count          = 2
  point_in_time_recovery     = false
  deletion_protection        = false
  log_retention_days         = 1
  tags                       = { stack = var.name }
}

output "fifoer" {
  value = module.fifoer
}
