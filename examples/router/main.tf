# Example: P08 routing notification tasks to email, sms and push functions, with one retry each so a
# test sees a failed task in its dead-letter queue quickly.
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
  default     = "example-router"
}

variable "package_path" {
  type        = string
  description = "The built router zip."
  default     = "../../build/lambdas/router.zip"
}

variable "code_bucket" {
  type        = string
  description = "Existing bucket for the functions' code (the tests pass one per local cloud); null uploads each zip with its function."
  default     = null
}

module "router" {
  source = "../../patterns/router"

  name         = var.name
  package_path = var.package_path
  code_bucket  = var.code_bucket
  router       = { maximum_retry_attempts = 1, maximum_event_age_seconds = 600 }
  tasks = {
    email = { maximum_retry_attempts = 1, maximum_event_age_seconds = 600 }
    sms   = { maximum_retry_attempts = 1, maximum_event_age_seconds = 600 }
    push  = { maximum_retry_attempts = 1, maximum_event_age_seconds = 600 }
  }
  point_in_time_recovery = false
  deletion_protection    = false
  log_retention_days     = 1
  tags                   = { stack = var.name }
}

output "router" {
  value = module.router
}
