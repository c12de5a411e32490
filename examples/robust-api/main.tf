# Example: P06; the tests point /partners/* at an HTTP server they run on loopback.
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
  default     = "example-robust-api"
}

variable "package_path" {
  type        = string
  description = "The built robust-api zip."
  default     = "../../build/lambdas/robust-api.zip"
}

variable "code_bucket" {
  type        = string
  description = "Existing bucket for the functions' code (the tests pass one per local cloud); null uploads each zip with its function."
  default     = null
}

variable "partners_base_url" {
  type        = string
  description = "The HTTP backend behind /partners/*."
  default     = "https://partners.example.com"
}

module "robust_api" {
  source = "../../patterns/robust-api"

  name                   = var.name
  package_path           = var.package_path
  code_bucket            = var.code_bucket
  partners_base_url      = var.partners_base_url
  partners_timeout_ms    = 2000
  point_in_time_recovery = false
  deletion_protection    = false
  log_retention_days     = 1
  tags                   = { stack = var.name }
}

output "robust_api" {
  value = module.robust_api
}
