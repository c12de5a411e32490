# Example: P11 with short timeouts so a failing processor's upload reaches its DLQ within a test's patience.
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
  default     = "example-pub-sub"
}

variable "package_path" {
  type        = string
  description = "The built pub-sub zip."
  default     = "../../build/lambdas/pub-sub.zip"
}

variable "code_bucket" {
  type        = string
  description = "Existing bucket for the functions' code (the tests pass one per local cloud); null uploads each zip with its function."
  default     = null
}

module "pub_sub" {
  source = "../../patterns/pub-sub"

  name                       = var.name
  package_path               = var.package_path
  code_bucket                = var.code_bucket
  upload_prefix              = "in/"
  preview_bytes              = 16
  consumer                   = { timeout_seconds = 5, maximum_concurrency = 2 }
  visibility_timeout_seconds = 8
  max_receive_count          = 2
  deletion_protection        = false
  log_retention_days         = 1
  tags                       = { stack = var.name }
}

output "pub_sub" {
  value = module.pub_sub
}
