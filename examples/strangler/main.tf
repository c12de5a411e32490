# Example: P07 with two routes migrated to the new products service; the tests point the facade at a legacy
# application they run on loopback.
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
  default     = "example-strangler"
}

variable "package_path" {
  type        = string
  description = "The built strangler zip."
  default     = "../../build/lambdas/strangler.zip"
}

variable "code_bucket" {
  type        = string
  description = "Existing bucket for the functions' code (the tests pass one per local cloud); null uploads each zip with its function."
  default     = null
}

variable "legacy_base_url" {
  type        = string
  description = "The legacy application the facade stands in front of."
  default     = "https://legacy.example.com"
}

variable "migrated_routes" {
  type        = list(string)
  description = "Routes the new service answers."
  default     = ["GET /products/{id}", "POST /products"]
}

module "strangler" {
  source = "../../patterns/strangler"

  name                   = var.name
  package_path           = var.package_path
  code_bucket            = var.code_bucket
  legacy_base_url        = var.legacy_base_url
  migrated_routes        = var.migrated_routes
  legacy_timeout_ms      = 2000
  point_in_time_recovery = false
  deletion_protection    = false
  log_retention_days     = 1
  tags                   = { stack = var.name }
}

output "strangler" {
  value = module.strangler
}
