# Example: P21 with a breaker quick to open and to try again, so a test sees every transition.
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
  default     = "example-circuit-breaker"
}

variable "package_path" {
  type        = string
  description = "The built circuit-breaker zip."
  default     = "../../build/lambdas/circuit-breaker.zip"
}

variable "code_bucket" {
  type        = string
  description = "Existing bucket for the functions' code (the tests pass one per local cloud); null uploads each zip with its function."
  default     = null
}

variable "service_url" {
  type        = string
  description = "The unreliable service (the tests start one on loopback)."
  default     = "http://127.0.0.1:8089"
}

# The environment's customer managed key, as staging and prod run the pattern: every table, queue,
# secret and log group below is encrypted with it, and the local cloud checks each use.
module "key" {
  source = "../../modules/kms-key"

  name                    = var.name
  deletion_window_in_days = 7
  tags                    = { stack = var.name }
}

module "breaker" {
  source = "../../patterns/circuit-breaker"

  name                   = var.name
  package_path           = var.package_path
  code_bucket            = var.code_bucket
  service_url            = var.service_url
  breaker                = { failure_threshold = 3, failure_window_seconds = 30, open_seconds = 2, max_open_seconds = 8, call_timeout_ms = 1000 }
  log_retention_days     = 1
  point_in_time_recovery = false
  kms_key_arn            = module.key.key_arn
  tags                   = { stack = var.name }
}

output "breaker" {
  value = module.breaker
}
