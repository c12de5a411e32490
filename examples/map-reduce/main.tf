# Example: P18 with 64 KiB ranges, so a text of a few hundred KiB needs at least eight mappers.
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
  default     = "example-map-reduce"
}

variable "package_path" {
  type        = string
  description = "The built map-reduce zip."
  default     = "../../build/lambdas/map-reduce.zip"
}

variable "code_bucket" {
  type        = string
  description = "Existing bucket for the functions' code (the tests pass one per local cloud); null uploads each zip with its function."
  default     = null
}

module "map_reduce" {
  source = "../../patterns/map-reduce"

  name                      = var.name
  package_path              = var.package_path
  code_bucket               = var.code_bucket
  chunk_bytes               = 65536
  mapper                    = { timeout_seconds = 30, memory_size = 256 }
  reducer                   = { timeout_seconds = 60, memory_size = 256 }
  maximum_retry_attempts    = 1
  maximum_event_age_seconds = 600
  deletion_protection       = false
  log_retention_days        = 1
  tags                      = { stack = var.name }
}

output "map_reduce" {
  value = module.map_reduce
}
