# Example: P16 with one retry, so a test sees an event the processor keeps failing on reach the DLQ quickly.
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
  default     = "example-event-processing"
}

variable "package_path" {
  type        = string
  description = "The built event-driven-processing zip."
  default     = "../../build/lambdas/event-driven-processing.zip"
}

variable "code_bucket" {
  type        = string
  description = "Existing bucket for the functions' code (the tests pass one per local cloud); null uploads each zip with its function."
  default     = null
}

module "event_driven_processing" {
  source = "../../patterns/event-driven-processing"

  name                = var.name
  package_path        = var.package_path
  code_bucket         = var.code_bucket
  processor           = { timeout_seconds = 20, maximum_retry_attempts = 1, maximum_event_age_seconds = 600 }
  deletion_protection = false
  log_retention_days  = 1
  tags                = { stack = var.name }
}

output "event_driven_processing" {
  value = module.event_driven_processing
}
