# Example: P09 with a public API and one retry of a failing stream batch, so a bad record reaches the
# on-failure queue within a test's patience.
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
  default     = "example-dynamo-streamer"
}

variable "package_path" {
  type        = string
  description = "The built dynamo-streamer zip."
  default     = "../../build/lambdas/dynamo-streamer.zip"
}

variable "code_bucket" {
  type        = string
  description = "Existing bucket for the functions' code (the tests pass one per local cloud); null uploads each zip with its function."
  default     = null
}

module "streamer" {
  source = "../../patterns/dynamo-streamer"

  name                   = var.name
  package_path           = var.package_path
  code_bucket            = var.code_bucket
  authorization_type     = "NONE"
  consumer               = { timeout_seconds = 10, batch_size = 10, maximum_retry_attempts = 1 }
  point_in_time_recovery = false
  log_retention_days     = 1
  tags                   = { stack = var.name }
}

output "streamer" {
  value = module.streamer
}
