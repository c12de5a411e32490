# Example: P05 over three downstream services; the tests run them on loopback (one of them slow on demand).
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
  default     = "example-aggregator"
}

variable "package_path" {
  type        = string
  description = "The built aggregator zip."
  default     = "../../build/lambdas/aggregator.zip"
}

variable "code_bucket" {
  type        = string
  description = "Existing bucket for the functions' code (the tests pass one per local cloud); null uploads each zip with its function."
  default     = null
}

variable "services_base_url" {
  type        = string
  description = "Where the downstream services answer (/profile, /orders, /recommendations)."
  default     = "https://services.example.com"
}

module "aggregator" {
  source = "../../patterns/aggregator"

  name         = var.name
  package_path = var.package_path
  code_bucket  = var.code_bucket
  downstreams = {
    profile         = "${var.services_base_url}/profile/{customerId}"
    orders          = "${var.services_base_url}/orders/{customerId}"
    recommendations = "${var.services_base_url}/recommendations/{customerId}"
  }
  call_timeout_ms    = 700
  log_retention_days = 1
  tags               = { stack = var.name }
}

output "aggregator" {
  value = module.aggregator
}
