# Example: P02 with API keys (TOKEN authorizer, decisions cached 300 s), or a Cognito user pool
# (identity = "cognito").
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
  default     = "example-gatekeeper"
}

variable "package_path" {
  type        = string
  description = "The built gatekeeper zip."
  default     = "../../build/lambdas/gatekeeper.zip"
}

variable "code_bucket" {
  type        = string
  description = "Existing bucket for the functions' code (the tests pass one per local cloud); null uploads each zip with its function."
  default     = null
}

variable "identity" {
  type        = string
  description = "api_key or cognito."
  default     = "api_key"
}

# The environment's customer managed key, as staging and prod run the pattern: every table, queue,
# secret and log group below is encrypted with it, and the local cloud checks each use.
module "key" {
  source = "../../modules/kms-key"

  name                    = var.name
  deletion_window_in_days = 7
  tags                    = { stack = var.name }
}

module "gatekeeper" {
  source = "../../patterns/gatekeeper"

  name                   = var.name
  package_path           = var.package_path
  code_bucket            = var.code_bucket
  identity               = var.identity
  point_in_time_recovery = false
  log_retention_days     = 1
  kms_key_arn            = module.key.key_arn
  tags                   = { stack = var.name }
}

output "gatekeeper" {
  value = module.gatekeeper
}
