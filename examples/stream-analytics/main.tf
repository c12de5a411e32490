# Example: P26 with one shard, 3-second windows, a 1-second archive buffer and one retry of a failing record
# once bisected down to it, so the tests see windows close, the archive fill and a bad record set aside
# within their patience.
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
  default     = "example-stream-analytics"
}

variable "package_path" {
  type        = string
  description = "The built stream-analytics zip."
  default     = "../../build/lambdas/stream-analytics.zip"
}

variable "code_bucket" {
  type        = string
  description = "Existing bucket for the functions' code (the tests pass one per local cloud); null uploads each zip with its function."
  default     = null
}

module "stream_analytics" {
  source = "../../patterns/stream-analytics"

  name                   = var.name
  package_path           = var.package_path
  code_bucket            = var.code_bucket
  stream                 = { on_demand = false, shards = 1 }
  window_seconds         = 3
  aggregator             = { timeout_seconds = 10, batch_size = 100, maximum_retry_attempts = 1 }
  buffering              = { size_mb = 1, interval_seconds = 1, check_interval_seconds = 0 }
  query_scan_limit_mb    = 10
  point_in_time_recovery = false
  log_retention_days     = 1
  tags                   = { stack = var.name }
}

output "stream_analytics" {
  value = module.stream_analytics
}
