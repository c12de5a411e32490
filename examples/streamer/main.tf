# Example: P25 with a public API, short buffers (a reading reaches the archive within seconds, not minutes)
# and one retry of a failing transform, so the tests see both outcomes within their patience.
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
  default     = "example-streamer"
}

variable "package_path" {
  type        = string
  description = "The built streamer zip."
  default     = "../../build/lambdas/streamer.zip"
}

variable "code_bucket" {
  type        = string
  description = "Existing bucket for the functions' code (the tests pass one per local cloud); null uploads each zip with its function."
  default     = null
}

module "streamer" {
  source = "../../patterns/streamer"

  name               = var.name
  package_path       = var.package_path
  code_bucket        = var.code_bucket
  authorization_type = "NONE"
  buffering          = { size_mb = 1, interval_seconds = 2 }
  transform          = { timeout_seconds = 10, retries = 1, buffer_interval_seconds = 1 }
  log_retention_days = 1
  tags               = { stack = var.name }
}

output "streamer" {
  value = module.streamer
}
