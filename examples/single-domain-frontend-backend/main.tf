# Example: P31 with the example board app and a bucket tests may destroy.
terraform {
  required_version = ">= 1.5"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.60"
    }
  }
}

# Region, endpoint and credentials come from the environment (AWS_REGION, AWS_ENDPOINT_URL).
provider "aws" {}

variable "name" {
  type        = string
  description = "Prefix of every resource (the tests pass a unique one)."
  default     = "example-board"
}

variable "package_path" {
  type        = string
  description = "The built single-domain-frontend-backend zip."
  default     = "../../build/lambdas/single-domain-frontend-backend.zip"
}

variable "code_bucket" {
  type        = string
  description = "Existing bucket for the functions' code (the tests pass one per local cloud); null uploads each zip with its function."
  default     = null
}

module "board" {
  source = "../../patterns/single-domain-frontend-backend"

  name                = var.name
  package_path        = var.package_path
  code_bucket         = var.code_bucket
  deletion_protection = false
  log_retention_days  = 1
  tags                = { stack = var.name }
}

output "board" {
  value = module.board
}
