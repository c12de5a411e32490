# Example: P14 with short timeouts so retries and redrive happen within a test's patience.
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
  default     = "example-queue-based-load-leveling"
}

variable "package_path" {
  type        = string
  description = "The built queue-based-load-leveling zip."
  default     = "../../build/lambdas/queue-based-load-leveling.zip"
}

variable "code_bucket" {
  type        = string
  description = "Existing bucket for the functions' code (the tests pass one per local cloud); null uploads each zip with its function."
  default     = null
}

module "leveling" {
  source = "../../patterns/queue-based-load-leveling"

  name                       = var.name
  package_path               = var.package_path
  code_bucket                = var.code_bucket
  authorization_type         = "NONE"
  throttling                 = { rate_limit = 5000, burst_limit = 5000 }
  consumer                   = { timeout_seconds = 10, batch_size = 10, batching_window_seconds = 1, maximum_concurrency = 3 }
  visibility_timeout_seconds = 12
  max_receive_count          = 2
  point_in_time_recovery     = false
  log_retention_days         = 1
  tags                       = { stack = var.name }
}

output "leveling" {
  value = module.leveling
}
