# Example: P24 with a public API, no VPC (the local cloud's database and cache are on loopback), a
# one-minute cache TTL and a board of the top 3.
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
  default     = "example-read-heavy-reporting"
}

variable "package_path" {
  type        = string
  description = "The built read-heavy-reporting zip."
  default     = "../../build/lambdas/read-heavy-reporting.zip"
}

module "reports" {
  source = "../../modules/read-heavy-reporting"

  name                   = var.name
  package_path           = var.package_path
  authorization_type     = "NONE"
  cache                  = { ttl_seconds = 60 }
  top_n                  = 3
  ranker                 = { batch_size = 10, maximum_retry_attempts = 1 }
  point_in_time_recovery = false
  log_retention_days     = 1
  tags                   = { stack = var.name }
}

output "reports" {
  value = module.reports
}
