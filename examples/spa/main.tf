# Example: P29 with the example app, a backend URL for its config, a bucket tests may destroy, and change
# notices that gather one second and reach the dead-letter queue after one failed try (30 s).
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
  default     = "example-spa"
}

variable "package_path" {
  type        = string
  description = "The built spa zip."
  default     = "../../build/lambdas/spa.zip"
}

variable "code_bucket" {
  type        = string
  description = "Existing bucket for the functions' code (the tests pass one per local cloud); null uploads each zip with its function."
  default     = null
}

variable "api_url" {
  type        = string
  description = "The backend the app calls (P01 simple-web-service's invoke_url)."
  default     = "https://abc123.execute-api.us-east-1.amazonaws.com/v1"
}

variable "kms_key_arn" {
  type        = string
  description = "A customer managed key for the site bucket (its policy must let CloudFront decrypt for the distribution); null: S3's own key."
  default     = null
}

module "spa" {
  source = "../../patterns/spa"

  name                = var.name
  package_path        = var.package_path
  code_bucket         = var.code_bucket
  api_url             = var.api_url
  kms_key_arn         = var.kms_key_arn
  invalidator         = { batching_window_seconds = 1, retry_after_seconds = 30, max_receive_count = 1 }
  deletion_protection = false
  log_retention_days  = 1
  tags                = { stack = var.name }
}

output "spa" {
  value = module.spa
}
