# Example: P04 with one retry and a queue of success records, so a test sees each outcome quickly.
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
  default     = "example-internal-handoff"
}

variable "package_path" {
  type        = string
  description = "The built internal-handoff zip."
  default     = "../../build/lambdas/internal-handoff.zip"
}

variable "code_bucket" {
  type        = string
  description = "Existing bucket for the functions' code (the tests pass one per local cloud); null uploads each zip with its function."
  default     = null
}

# Where the next step of the work would start: Lambda's record of each processed order.
resource "aws_sqs_queue" "completions" {
  name                    = "${var.name}-completions"
  sqs_managed_sse_enabled = true
}

module "internal_handoff" {
  source = "../../patterns/internal-handoff"

  name                       = var.name
  package_path               = var.package_path
  code_bucket                = var.code_bucket
  worker                     = { timeout_seconds = 10, maximum_retry_attempts = 1, maximum_event_age_seconds = 600 }
  on_success_destination_arn = aws_sqs_queue.completions.arn
  point_in_time_recovery     = false
  deletion_protection        = false
  log_retention_days         = 1
  tags                       = { stack = var.name }
}

output "internal_handoff" {
  value = module.internal_handoff
}

output "completions_queue_url" {
  value = aws_sqs_queue.completions.url
}
