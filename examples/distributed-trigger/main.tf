# Example: P15 on its own bus, with no retries so a failing source event reaches the DLQ at once.
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
  default     = "example-distributed-trigger"
}

variable "package_path" {
  type        = string
  description = "The built distributed-trigger zip."
  default     = "../../build/lambdas/distributed-trigger.zip"
}

variable "code_bucket" {
  type        = string
  description = "Existing bucket for the functions' code (the tests pass one per local cloud); null uploads each zip with its function."
  default     = null
}

resource "aws_cloudwatch_event_bus" "orders" {
  name = "${var.name}-orders"
}

module "trigger" {
  source = "../../patterns/distributed-trigger"

  name           = var.name
  package_path   = var.package_path
  code_bucket    = var.code_bucket
  service_name   = "orders"
  event_bus_name = aws_cloudwatch_event_bus.orders.name
  event_pattern  = { source = ["acme.orders"], "detail-type" = ["OrderPlaced", "OrderCancelled"] }
  trigger        = { timeout_seconds = 10, maximum_retry_attempts = 1, maximum_event_age_seconds = 60 }
  subscribers = {
    billing   = { event_types = ["OrderPlaced"] }
    shipping  = { event_types = ["OrderPlaced", "OrderCancelled"] }
    analytics = {}
  }
  log_retention_days = 1
  tags               = { stack = var.name }
}

output "trigger" {
  value = module.trigger
}
